export * from './event/event.schema';
export * from './event/event-data.rules';
export * from './event/operational-events';
export * from './event/operational-event-examples';
export * from './ids/ids';
export * from './json/untrusted-json';
export * from './topics';
export * from './validation';
