export * from './restart-policy';
export * from './stack';
export * from './node-options';
