import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Receivers install this package on its own, outside the monorepo: anything it
// imports beyond Node's built-ins would be missing there.
describe('@hookline/verify as a standalone package', () => {
  it('imports nothing but node: built-ins and its own files', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    const imports = sources.flatMap((file) =>
      [...readFileSync(join(__dirname, file), 'utf8').matchAll(/\bfrom '([^']+)'|\brequire\('([^']+)'\)|\bimport\('([^']+)'\)/g)].map((m) => ({
        file,
        module: m[1] ?? m[2] ?? m[3],
      })),
    );
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter(({ module }) => !module.startsWith('node:') && !module.startsWith('./'))).toEqual([]);
  });

  it('declares no dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect([pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies]).toEqual([undefined, undefined, undefined]);
  });
});
