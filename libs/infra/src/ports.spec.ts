import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { processStartTime } from './lock';
import { candidatePortRange, choosePort, claimPort, freePort, isPortFree, releasePort, reservationFile } from './ports';

/** Ports freePort() draws next, before random ones: lets a test make the draw land on a port it chose. */
const mockDraws: number[] = [];
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, randomInt: (min: number, max: number) => mockDraws.shift() ?? actual.randomInt(min, max) };
});

describe('freePort', () => {
  it('hands out free ports below the ephemeral range, reserved for this process', async () => {
    const { low, high } = candidatePortRange();
    const ports = [await freePort(), await freePort(), await freePort()];
    try {
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

  it('never hands out a port this process holds, even when the draw lands on it', async () => {
    const held = await freePort();
    try {
      mockDraws.push(held, held);
      const next = await freePort();
      expect(mockDraws).toEqual([]); // both draws of the held port were made, and passed over
      expect(next).not.toBe(held);
      releasePort(next);

      // Released, it is handed out again.
      releasePort(held);
      mockDraws.push(held);
      await expect(freePort()).resolves.toBe(held);
    } finally {
      releasePort(held);
    }
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
