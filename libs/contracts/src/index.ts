export * from './event/event.schema';
export * from './ids/ids';
export * from './topics';
export * from './validation';
