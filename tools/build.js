#!/usr/bin/env node
// Compiles every workspace package (libs/*, apps/*, tools) from src/ to dist/ with swc,
// and the console (apps/console, a browser app) with Vite, typed from admin-api's
// OpenAPI document. Type checking is a separate step (`npm run typecheck`), so this stays fast.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const CONSOLE = join(root, 'apps', 'console');
// Specs and what only specs use (`*.fixtures.ts`, `*.fakes.ts`) are not built: nothing that ships may load them.
const TEST_ONLY = '**/*.spec.ts,**/*.fixtures.ts,**/*.fakes.ts';
const packages = [...['libs', 'apps'].flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name))), join(root, 'tools')];
for (const dir of packages) {
  if (!existsSync(join(dir, 'src')) || dir === CONSOLE) continue;
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  execFileSync(bin('swc'), ['src', '-d', 'dist', '--strip-leading-paths', '--config-file', join(root, '.swcrc'), '--ignore', TEST_ONLY, '--quiet'], {
    cwd: dir,
    stdio: 'inherit',
  });
}

require('./console-types');
execFileSync(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: CONSOLE, stdio: 'inherit' });
