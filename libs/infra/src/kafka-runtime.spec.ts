import { brokerJvmArgs, DEFAULT_BROKER_HEAP_MB, serverProperties } from './kafka-runtime';

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

describe(serverProperties.name, () => {
  const base = { port: 9092, controllerPort: 9093, logDir: '/data', numPartitions: 2 };
  const parse = (text: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );

  it('answers offset commits at once, since every hop of a delivery commits before its next fetch', () => {
    expect(parse(serverProperties({ ...base, extra: {} }))['group.coordinator.append.linger.ms']).toBe('0');
  });

  it('lets the caller override any entry', () => {
    const props = parse(serverProperties({ ...base, extra: { 'group.coordinator.append.linger.ms': 5, 'num.io.threads': 8 } }));
    expect(props).toMatchObject({ 'group.coordinator.append.linger.ms': '5', 'num.io.threads': '8', 'num.partitions': '2' });
  });
});
