import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const REQUIREMENTS = join(ROOT, 'test', 'contract', 'requirements.txt');
/** Per-operation settings of the run (which checks do not apply where). */
const CONFIG = join(ROOT, 'test', 'contract', 'schemathesis.toml');

/**
 * The `st` command of Schemathesis (PyPI), installed on first use into a
 * virtual environment under `.cache/` named after the pinned requirements, so
 * a fresh clone gets it from `npm test` alone and a version bump installs anew.
 */
export async function schemathesis(): Promise<string> {
  const pins = readFileSync(REQUIREMENTS);
  const venv = join(ROOT, '.cache', `schemathesis-${createHash('sha256').update(pins).digest('hex').slice(0, 12)}`);
  const st = join(venv, 'bin', 'st');
  if (existsSync(st)) return st;
  await run('python3', ['-m', 'venv', venv]);
  await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], { maxBuffer: 16 * 1024 * 1024 });
  return st;
}

export interface ContractRun {
  exitCode: number;
  /** What Schemathesis printed: its summary, and each failure with a curl line that reproduces it. */
  output: string;
}

/**
 * Drives a running API from its own OpenAPI document with generated inputs
 * (examples, boundary values, random and invalid data) and checks each answer:
 * never a 5xx, a status, content type and body that the document allows.
 */
export async function runContractTest(options: { api: string; token: string; seed: number; maxExamples: number }): Promise<ContractRun> {
  const st = await schemathesis();
  const args = [
    '--config-file',
    CONFIG,
    'run',
    `${options.api}/docs/openapi.json`,
    '--url',
    options.api,
    '--header',
    `Authorization: Bearer ${options.token}`,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    // One worker: Python 3.11 (this machine's) can fail parsing in two threads at once (a SystemError inside Hypothesis).
    '--workers',
    '1',
    '--no-color',
    '--generation-database',
    'none',
    '--output-sanitize',
    'true',
  ];
  try {
    // Run inside its environment's folder: Schemathesis keeps a `.schemathesis/` cache in its working directory.
    const { stdout, stderr } = await run(st, args, { cwd: join(st, '..', '..'), maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { exitCode: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
