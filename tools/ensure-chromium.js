#!/usr/bin/env node
// The console's browser tests drive Debian's Chromium (/usr/bin/chromium) with
// playwright-core; browsers are never downloaded. This installs the Debian
// package when it is missing (as root, or through passwordless sudo), so
// `npm test` works on a machine that has never seen a browser.
// HOOKLINE_CHROMIUM points the tests at another Chromium binary instead.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const binary = process.env.HOOKLINE_CHROMIUM || '/usr/bin/chromium';

function works() {
  if (!existsSync(binary)) return false;
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return probe.status === 0;
}

if (works()) process.exit(0);
if (process.env.HOOKLINE_CHROMIUM) {
  console.error(`HOOKLINE_CHROMIUM=${binary}: no working Chromium there`);
  process.exit(1);
}

const root = process.getuid?.() === 0;
const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!root && !sudo) {
  console.error('The console tests need Chromium at /usr/bin/chromium: install Debian’s package (apt-get install chromium) or set HOOKLINE_CHROMIUM.');
  process.exit(1);
}
const run = (args) =>
  execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : ['-n', ...args], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
console.log('Installing Debian’s chromium for the console’s browser tests…');
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']);
if (!works()) {
  console.error(`chromium was installed but ${binary} does not run`);
  process.exit(1);
}
