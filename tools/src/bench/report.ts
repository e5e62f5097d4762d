import type { CpuReport, CpuRow } from './cpu';
import type { Percentiles } from './measure';
import type { BenchResult } from './result';

/** The same row in another phase's CPU report, as "N %". */
function pick(report: CpuReport, row: CpuRow): string {
  const other = report.rows.find((i) => (row.key ? i.key === row.key : i.name === row.name));
  return other ? `${other.percent} %` : '?';
}

/** The report (Markdown, as pasted into BENCHMARKS.md) on stdout. */
export function printReport(r: BenchResult): void {
  const p = r.pipeline;
  const raw = r.raw;
  const lat = (l: Percentiles) => `${l.p50} / ${l.p95} / ${l.p99} / ${l.max}`;
  const m = r.machine;
  const cfg = r.config;
  const lines = [
    '',
    `### Pipeline benchmark, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- command: \`${r.command}\` (code: ${r.code})`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}`,
    `- infrastructure: ${m.infrastructure}; everything on 127.0.0.1`,
    `- machine busy before the bench started: ${m.busyPercentBeforeStart} % (of all cores, 1 s sample)`,
    `- load: ${cfg.events} events, ${cfg.endpoints} endpoint(s) (one tenant each, event i → endpoint i mod ${cfg.endpoints}), ` +
      `POST /v1/events/batch with ${cfg.batch} events × ${cfg.parallelBatches} in parallel, rate: ${cfg.rate}; ${cfg.warmupEvents} warm-up events first`,
    `- settings: ${cfg.topicPartitions} partitions per topic, dispatcher concurrency ${cfg.dispatcherEndpointConcurrency} per endpoint ` +
      `(so at most ${cfg.rawConcurrency} attempts in flight); raw run: the same ${cfg.rawConcurrency} requests in flight, up to ${cfg.rawConnections} keep-alive connections`,
    '',
    '| metric | pipeline (ingest → delivery) | raw (signed POSTs, no pipeline) |',
    '|---|---:|---:|',
    `| throughput | **${p.deliveriesPerSecond} deliveries/s** | **${raw.requestsPerSecond} req/s** |`,
    `| pipeline / raw | **${(r.ratio * 100).toFixed(1)} %** | |`,
    `| latency p50 / p95 / p99 / max (ms) | ${lat(p.latencyMs)} | ${lat(raw.latencyMs)} |`,
    `| wall time for ${cfg.events} | ${p.durationS} s | ${raw.durationS} s |`,
    `| distinct webhook-ids received | ${p.deliveries} | ${raw.requests} |`,
    `| duplicates (same webhook-id again) | ${p.duplicates} | 0 |`,
    `| signatures valid (node:crypto, all) | ${p.requests - p.badSignatures}/${p.requests} | ${raw.requests - raw.badSignatures}/${raw.requests} |`,
    `| signatures valid (standardwebhooks pkg, 1 in 50) | ${p.libVerified}/${p.libVerified + p.libFailed} | ${raw.libVerified}/${raw.libVerified + raw.libFailed} |`,
    `| ingest accepted (events/s) | ${p.ingestAcceptedPerSecond} | |`,
    `| log-store: all ${cfg.events} recorded as succeeded | ${p.logStore.allRecordedSecondsAfterLastDelivery === null ? `no, ${p.logStore.recordedSucceeded} after 60 s` : `${p.logStore.allRecordedSecondsAfterLastDelivery} s after the last delivery`} | |`,
    `| dispatcher metrics during the run | ${
      Object.entries(p.dispatcher)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '—'
    } | |`,
    '',
    `CPU in % of one core (${r.cpu.cores * 100} % = all ${r.cpu.cores} cores), averaged over: the pipeline run (${r.cpu.seconds} s, machine busy ${r.cpu.machineBusyPercent} %), ` +
      `the idle stack just before it (${r.idleCpu.seconds} s, machine busy ${r.idleCpu.machineBusyPercent} %), and the raw run (${r.rawCpu.seconds} s, machine busy ${r.rawCpu.machineBusyPercent} %):`,
    '',
    '| process | CPU s (pipeline) | pipeline | idle | raw |',
    '|---|---:|---:|---:|---:|',
    ...r.cpu.rows.map(
      (row) =>
        `| ${row.key === 'other' ? 'other processes' : row.name} | ${row.cpuSeconds} | ${row.percent} % | ${pick(r.idleCpu, row)} | ${pick(r.rawCpu, row)} |`,
    ),
  ];
  if (r.profiles) {
    lines.push(
      '',
      "CPU profiles of the pipeline phase (self time, % of each service's busy time; profiling slows the services, so the throughput of this run is not representative):",
    );
    for (const [service, prof] of Object.entries(r.profiles)) {
      lines.push('', `- ${service} (busy ${prof.busyPercentOfWall} % of the phase): ${prof.packages.map((x) => `${x.key} ${x.percentOfBusy} %`).join(', ')}`);
      for (const f of prof.functions.slice(0, 6)) lines.push(`    - ${f.percentOfBusy} % ${f.key}`);
    }
  }
  const seen = (
    [
      ['pipeline', r.cpu],
      ['idle', r.idleCpu],
      ['raw', r.rawCpu],
    ] as const
  )
    .map(([phase, rep]) => [phase, rep.rows.find((x) => x.key === 'other')?.name.match(/\(seen: (.*)\)/)?.[1]] as const)
    .filter(([, names]) => names);
  if (seen.length) lines.push('', `Other processes seen: ${seen.map(([phase, names]) => `${phase}: ${names}`).join('; ')}.`);
  const findings = Object.entries(r.logFindings);
  if (findings.length) {
    lines.push('', 'Service log findings (warn/error lines and stderr, grouped):', '');
    for (const [service, list] of findings) for (const f of list.slice(0, 6)) lines.push(`- ${service}: ${f.n}× ${f.message}`);
  } else {
    lines.push('', 'Service logs: no warnings or errors.');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
