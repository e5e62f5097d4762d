import { parentPort, workerData } from 'node:worker_threads';
import type { WatchedProcess } from './cpu';
import { MemoryWindow, SAMPLE_MS } from './rss';

/* The memory sampling of `MemorySampler` (rss.ts), off the bench's event loop: samples every SAMPLE_MS, answers each 'cut' with the window. */
const window = new MemoryWindow((workerData as { watch: WatchedProcess[] }).watch);
setInterval(() => window.sample(), SAMPLE_MS);
parentPort!.on('message', () => parentPort!.postMessage(window.cut()));
