import { type ServiceName, SERVICES } from '@hookline/stack';
import { sleep } from './harness';
import { recoverySeconds } from './tally';
import { background, base, type Scenario, TENANTS, withHarness } from './scenario';

/* 1. kill -9 of a random service, five times, during the load. */
export const killServices: Scenario = {
  n: 1,
  title: '1. kill -9 of a random service ×5',
  budgetS: (s) => 120 + (s.events ?? (s.quick ? 1600 : 10_000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's1', deadline), killServices.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const total = s.events ?? (s.quick ? 1600 : 10_000);
      const rate = 200;
      const sending = background(h, TENANTS, total / TENANTS.length, rate);
      const spanMs = (total / rate) * 1000;
      const recoveries: number[] = [];
      const killed: string[] = [];
      const faults: Array<{ start: number; end: number }> = [];
      for (let k = 0; k < 5; k++) {
        await sleep(spanMs / 6);
        const name = SERVICES[Math.floor(Math.random() * SERVICES.length)] as ServiceName;
        const start = Date.now();
        await h.killAndAwaitRestart(name);
        faults.push({ start, end: Date.now() });
        killed.push(name);
      }
      await sending;
      await h.waitDelivered('all events after the kills');
      for (const f of faults) recoveries.push(recoverySeconds(h.firstReceiptTimes(), f, h.lastExpectedAt()) ?? NaN);
      return { recoverS: Math.max(...recoveries), notes: [`killed ${killed.join(', ')}`, `recovery per kill (s): ${recoveries.join(', ')}`] };
    }),
};

/* 2. kill -9 of the Kafka broker, restarted on the same data and port. */
export const killKafka: Scenario = {
  n: 2,
  title: '2. kill -9 of the Kafka broker',
  budgetS: (s) => 240 + (s.events ?? (s.quick ? 2000 : 5000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's2', deadline), killKafka.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const total = s.events ?? (s.quick ? 2000 : 5000);
      const rate = 200;
      const sending = background(h, TENANTS, total / TENANTS.length, rate);
      await sleep(((total / rate) * 1000) / 3);
      const start = Date.now();
      await s.world.killKafka();
      h.log('broker killed');
      await sleep(s.quick ? 2000 : 5000);
      await s.world.restartKafka();
      const end = Date.now();
      h.log(`broker restarted after ${((end - start) / 1000).toFixed(1)} s`);
      await sending;
      await h.waitDelivered('all events after the broker restart');
      return {
        recoverS: recoverySeconds(h.firstReceiptTimes(), { start, end }, h.lastExpectedAt()),
        notes: [`broker down ${((end - start) / 1000).toFixed(1)} s`],
      };
    }),
};

/* 3. PostgreSQL stopped for 20 s, then started again. */
export const stopPostgres: Scenario = {
  n: 3,
  title: '3. PostgreSQL stopped for 20 s',
  budgetS: (s) => 240 + (s.events ?? (s.quick ? 1500 : 5000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's3', deadline), stopPostgres.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const total = s.events ?? (s.quick ? 1500 : 5000);
      const rate = 100;
      const downMs = s.quick ? 8000 : 20_000;
      const sending = background(h, TENANTS, total / TENANTS.length, rate);
      await sleep(Math.min(5000, ((total / rate) * 1000) / 4));
      const start = Date.now();
      await s.world.stopPostgres();
      h.log('PostgreSQL stopped');
      await sleep(downMs);
      await s.world.restartPostgres();
      const end = Date.now();
      h.log('PostgreSQL started again');
      await sending;
      await h.waitDelivered('all events after PostgreSQL came back');
      return {
        recoverS: recoverySeconds(h.firstReceiptTimes(), { start, end }, h.lastExpectedAt()),
        notes: [`database down ${((end - start) / 1000).toFixed(1)} s`],
      };
    }),
};
