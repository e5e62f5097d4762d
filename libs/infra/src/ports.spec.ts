import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from './lock';
import { candidatePortRange, choosePort, claimPort, freePort, isPortFree, releasePort } from './ports';

const reservationFile = (port: number, pid: number) =>
  join(tmpdir(), `hookline-ports-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`, `port-${port}.${pid}.lock`);

describe('freePort', () => {
  it('hands out free ports below the ephemeral range, never the same one twice while reserved', async () => {
    const { low, high } = candidatePortRange();
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    try {
      expect(new Set(ports).size).toBe(ports.length);
      for (const port of ports) {
        expect(port).toBeGreaterThanOrEqual(low);
        expect(port).toBeLessThanOrEqual(high);
        await expect(isPortFree(port)).resolves.toBe(true);
        await expect(claimPort(port)).resolves.toBe(false); // reserved, here as anywhere
      }
    } finally {
      ports.forEach(releasePort);
    }
  });

  describe('with another process', () => {
    let other: ChildProcess;
    beforeEach(() => {
      other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    });
    afterEach(() => {
      other.kill('SIGKILL');
    });

    it('does not claim a port another live Hookline process reserved, even though nothing listens on it yet', async () => {
      const port = await freePort();
      releasePort(port);
      writeFileSync(reservationFile(port, other.pid!), processStartTime(other.pid!));
      await expect(isPortFree(port)).resolves.toBe(true);
      await expect(claimPort(port)).resolves.toBe(false);
      const chosen = await choosePort([port]);
      expect(chosen).not.toBe(port);
      releasePort(chosen);

      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
      await expect(claimPort(port)).resolves.toBe(true); // a dead process reserves nothing
      releasePort(port);
    });
  });

  it('does not hand out a port this process reserved for another of its servers', async () => {
    // Two servers of one process preferring the same port (two startInfra calls, a stale ports.json) must not both get it.
    const port = await freePort();
    try {
      await expect(claimPort(port)).resolves.toBe(false);
      const chosen = await choosePort([port]);
      expect(chosen).not.toBe(port);
      releasePort(chosen);
    } finally {
      releasePort(port);
    }
  });

  it('does not claim a port something listens on', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await expect(claimPort(port)).resolves.toBe(false);
      const chosen = await choosePort([port]);
      expect(chosen).not.toBe(port);
      releasePort(chosen);
    } finally {
      server.close();
    }
  });
});
