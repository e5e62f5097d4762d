export * from './restart-policy';
export * from './stack';
