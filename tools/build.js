#!/usr/bin/env node
// Compiles every workspace package (libs/*, apps/*, tools) from src/ to dist/ with swc.
// Type checking is a separate step (`npm run typecheck`), so this stays fast.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const swc = join(root, 'node_modules', '.bin', 'swc');
const packages = [...['libs', 'apps'].flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name))), join(root, 'tools')];
for (const dir of packages) {
  if (!existsSync(join(dir, 'src'))) continue;
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  execFileSync(swc, ['src', '-d', 'dist', '--strip-leading-paths', '--config-file', join(root, '.swcrc'), '--ignore', '**/*.spec.ts', '--quiet'], {
    cwd: dir,
    stdio: 'inherit',
  });
}
