import { brokerJvmArgs, DEFAULT_BROKER_HEAP_MB } from './kafka-runtime';

describe(brokerJvmArgs.name, () => {
  it('caps the heap and uses the serial collector by default', () => {
    const args = brokerJvmArgs(undefined, {});
    expect(args).toContain(`-Xmx${DEFAULT_BROKER_HEAP_MB}m`);
    expect(args).toContain('-XX:+UseSerialGC');
    expect(args.filter((a) => /^-XX:\+Use\w+GC$/.test(a))).toHaveLength(1);
  });

  it('takes the heap in MiB, starting no larger than 64 MiB', () => {
    expect(brokerJvmArgs(1024, {}).slice(0, 2)).toEqual(['-Xmx1024m', '-Xms64m']);
    expect(brokerJvmArgs(48, {}).slice(0, 2)).toEqual(['-Xmx48m', '-Xms48m']);
  });

  it('lets KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS replace either part, as Kafka’s scripts do', () => {
    const args = brokerJvmArgs(undefined, { KAFKA_HEAP_OPTS: ' -Xmx1g  -Xms1g ', KAFKA_JVM_PERFORMANCE_OPTS: '-server -XX:+UseG1GC' });
    expect(args).toEqual(['-Xmx1g', '-Xms1g', '-server', '-XX:+UseG1GC']);
  });
});
