export * from './batch-consumer';
export * from './batching-producer';
export * from './compacted-view';
export * from './kafka-client';
export * from './message';
export * from './offset-window';
export * from './windowed-consumer';
export type { Admin } from 'kafkajs';
