export * from './batch-consumer';
export * from './batching-producer';
export * from './compacted-view';
export * from './kafka-client';
export { patchKafkaJsIdleTimer } from './kafkajs-idle-timer.patch';
export * from './message';
export * from './offset-window';
export * from './windowed-consumer';
export type { Kafka, Admin } from 'kafkajs';
