/** Unit specs only, without starting Kafka and PostgreSQL: `npx jest -c jest.unit.config.js`. */
const base = require('./jest.config');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '\\.(int|medium|e2e)\\.spec\\.ts$'],
  globalSetup: undefined,
  globalTeardown: undefined,
};
