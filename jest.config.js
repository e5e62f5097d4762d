/**
 * Three tiers, one Jest run (`npm test`), or one tier at a time:
 * - unit (`npm run test:unit`): `*.spec.ts` beside the code, no servers;
 * - medium (`npm run test:medium`): `*.medium.spec.ts`, on a real PostgreSQL
 *   started for the run, without Kafka (repositories, the HTTP APIs in process);
 * - e2e (`npm run test:e2e`): `*.int.spec.ts` and `test/e2e/*.e2e.spec.ts`, on a
 *   real Kafka and PostgreSQL, the six services as real processes.
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/tools'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: { '^@hookline/(.*)$': '<rootDir>/libs/$1/src' },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '\\.(medium|int|e2e)\\.spec\\.ts$'] },
    {
      ...base,
      displayName: 'medium',
      testMatch: ['**/*.medium.spec.ts'],
      globalSetup: '<rootDir>/test/harness/medium-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
    },
  ],
};
