// One flat config for the whole workspace. `npm run lint` runs `eslint .`.
//
// Module boundaries: every project is tagged on two axes in its package.json
// (`nx.tags`): `scope:*` says who may use it, `type:*` says which layer it is.
// The constraints below are the architecture; a new dependency that breaks one
// is an architecture change and should be argued for, not silenced here.
const js = require('@eslint/js');
const { createProjectGraphAsync } = require('@nx/devkit');
const nx = require('@nx/eslint-plugin');
const { defineConfig, globalIgnores } = require('eslint/config');
const globals = require('globals');
const tseslint = require('typescript-eslint');

const SERVICES = ['admin-api', 'ingest', 'rules-engine', 'dispatcher', 'retry-scheduler', 'log-store'];

const depConstraints = [
  // Scope axis. A service builds on shared libraries only; never on another
  // service and never on the tooling that starts infrastructure for tests.
  ...SERVICES.map((service) => ({
    sourceTag: `scope:${service}`,
    onlyDependOnLibsWithTags: ['scope:shared', `scope:${service}`],
  })),
  // What runs in production never pulls in test or infrastructure tooling.
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  // Tooling (local Kafka/PostgreSQL, the test stack, the test receiver) may use
  // shared code and other tooling; apps are processes it starts, not imports.
  { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tooling'] },

  // The console is a browser app: it reaches Hookline through admin-api's HTTP
  // API only (typed from its OpenAPI document), never through a library.
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: [] },

  // Type axis: the layers, bottom up.
  // Topic and event contracts are the leaf everyone agrees on.
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  {
    sourceTag: 'type:runtime',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'],
  },
  // The project's commands (npm start, the bench, the receiver) sit on top of
  // every library; the services they run are processes, never imports.
  { sourceTag: 'type:tool', notDependOnLibsWithTags: ['type:app'] },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access', 'type:runtime'],
    // Checked through the whole dependency chain, not only direct imports.
    notDependOnLibsWithTags: ['type:app', 'type:infra', 'type:testing'],
  },
];

// An app's specs (and the tools') may also use the test tooling (a fresh
// database, a service in process, fixtures); what ships never does, which the
// rules above hold. A library's specs may not, so the relaxed rules are given
// to apps/ and tools/ only: Nx counts a spec's imports as the library's, so
// every app using the library would seem to depend on the tooling.
const TEST_TOOLING = ['scope:tooling', 'type:testing', 'type:infra'];
const specDepConstraints = depConstraints.map((c) => ({
  ...c,
  ...(c.onlyDependOnLibsWithTags?.length ? { onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, ...TEST_TOOLING] } : {}),
  ...(c.notDependOnLibsWithTags ? { notDependOnLibsWithTags: c.notDependOnLibsWithTags.filter((t) => !TEST_TOOLING.includes(t)) } : {}),
}));

// The boundary rule only reads Nx's cached project graph and quietly skips
// itself when there is none (fresh clone, CI, after `nx reset`), or checks
// against a stale one. Bring the graph up to date first (incremental, in
// process: the daemon is off in nx.json), so `eslint .` on its own is enough.
module.exports = createProjectGraphAsync().then(() =>
  defineConfig(
    globalIgnores(['**/dist/', '**/node_modules/', '**/.cache/', '**/.data/', '**/coverage/', '.nx/']),
    nx.configs['flat/base'],
    js.configs.recommended,
    {
      // Build scripts and tool configs are CommonJS run by Node.
      files: ['**/*.js'],
      languageOptions: { sourceType: 'commonjs', globals: globals.node },
    },
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
      extends: [tseslint.configs.recommended],
      rules: {
        '@typescript-eslint/no-unused-vars': [
          'error',
          {
            argsIgnorePattern: '^_',
            varsIgnorePattern: '^_',
            caughtErrorsIgnorePattern: '^_',
            destructuredArrayIgnorePattern: '^_',
            ignoreRestSiblings: true,
          },
        ],
      },
    },
    {
      // The console runs in a browser.
      files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
      languageOptions: { globals: globals.browser },
    },
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.js'],
      rules: {
        '@nx/enforce-module-boundaries': [
          'error',
          {
            allow: [],
            depConstraints,
          },
        ],
        // A library is used through its entry point (`@hookline/<lib>` ->
        // src/index.ts), never through its files. The Nx rule catches relative
        // paths into another project; this catches package subpaths.
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: ['@hookline/*/**'],
                message: 'Import a Hookline library through its public entry point (@hookline/<lib>), not its internals.',
              },
            ],
          },
        ],
      },
    },
    {
      files: ['apps/**/*.spec.ts', 'apps/**/*.fixtures.ts', 'tools/**/*.spec.ts'],
      rules: { '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: specDepConstraints }] },
    },
  ),
);
