#!/usr/bin/env node
// The console's API types, generated from the copy of admin-api's OpenAPI document
// it is built against (apps/console/openapi/admin-api.json; admin-api's
// openapi.medium.spec.ts fails when the copy differs from what admin-api serves,
// and rewrites it with HOOKLINE_WRITE_OPENAPI=1). `npm run build` and
// `npm run typecheck` run this first; the output is not committed.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const api = join(root, 'apps', 'console', 'openapi', 'admin-api.json');
const out = join(root, 'apps', 'console', 'src', 'api', 'admin-api.d.ts');
execFileSync(join(root, 'node_modules', '.bin', 'openapi-typescript'), [api, '-o', out, '--silent'], { stdio: 'inherit' });
