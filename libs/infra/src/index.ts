/**
 * @hookline/infra: real Kafka and PostgreSQL as child processes for `npm start`,
 * the test harness (Jest globalSetup) and benchmarks. No Docker needed.
 */
export { ensureKafkaJars, KAFKA_VERSION, LOG4J_VERSION, type EnsureKafkaJarsOptions } from './kafka-jars';
export { startKafka, type KafkaServer, type StartKafkaOptions } from './kafka';
export { brokerJvmArgs, DEFAULT_BROKER_HEAP_MB } from './kafka-runtime';
export { SMALL_BOX_POSTGRES_SETTINGS, startPostgres, type PostgresServer, type StartPostgresOptions } from './postgres';
export { startInfra, type Infra, type StartInfraOptions } from './start-infra';
export { findRepoRoot } from './paths';
export { freePort, isPortFree, releasePort } from './ports';
export { isPidAlive, supervise, waitFor, type Supervised, type SuperviseOptions, type WaitForOptions } from './process';
export { redactUrl, withDatabase } from './urls';
