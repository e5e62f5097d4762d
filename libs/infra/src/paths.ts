import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cachedRoot: string | undefined;

/**
 * The monorepo root: the nearest ancestor of this file (src/ or dist/ of
 * libs/infra) that holds `nx.json`, or a package.json with `workspaces`.
 */
export function findRepoRoot(start: string = __dirname): string {
  if (start === __dirname && cachedRoot) return cachedRoot;
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'nx.json')) || hasWorkspaces(join(dir, 'package.json'))) {
      if (start === __dirname) cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`@hookline/infra: no repository root (nx.json or package.json with "workspaces") above ${start}`);
    }
    dir = parent;
  }
}

function hasWorkspaces(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { workspaces?: unknown };
    return pkg.workspaces !== undefined;
  } catch {
    return false;
  }
}
