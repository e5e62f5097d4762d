/**
 * Four tiers, one Jest run (`npm test`), or one tier at a time:
 * - unit (`npm run test:unit`): `*.spec.ts` beside the code, no servers;
 * - medium (`npm run test:medium`): `*.medium.spec.ts`, on a real PostgreSQL
 *   started for the run, without Kafka (repositories, the HTTP APIs in process);
 * - e2e (`npm run test:e2e`): `*.int.spec.ts` and `test/e2e/*.e2e.spec.ts`, on a
 *   real Kafka and PostgreSQL, the six services as real processes (the console's
 *   browser tests among them, in a real Chromium);
 * - console (`npm run test:console`): the console's components (`*.spec.tsx` under apps/console)
 *   rendered in jsdom, no servers.
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

/** The console's TSX, compiled the way Vite does it (React's automatic runtime), to CommonJS for Jest. */
const swcTsx = {
  jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' },
  module: { type: 'commonjs' },
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.(medium|int|e2e)\\.spec\\.ts$', '<rootDir>/apps/console/'],
    },
    {
      displayName: 'console',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/apps/console/src'],
      testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
      transform: { '^.+\\.tsx?$': ['@swc/jest', swcTsx] },
      moduleNameMapper: { '\\.css$': '<rootDir>/apps/console/src/testing/style.stub.js' },
    },
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
