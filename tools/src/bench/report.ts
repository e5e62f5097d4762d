import type { CpuReport } from './cpu';
import type { Percentiles } from './measure';
import type { BenchResult, ScenarioResult } from './result';
import type { MemoryRow } from './rss';

/*
 * The report (Markdown, as pasted into BENCHMARKS.md) on stdout: the
 * scenarios against the raw limit, CPU per 1,000 deliveries and memory per
 * process, the topics' traffic per delivery, the latency per hop, and the targets.
 */

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes ? `${Math.round(bytes / MB)}` : '–');
const lat = (l: Percentiles) => `${l.p50} / ${l.p95} / ${l.p99} / ${l.max}`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const thousands = (n: number) => n.toLocaleString('en-US');

/** Processes in a stable order: the six services, Kafka, PostgreSQL, then the bench's two processes. */
function processNames(r: BenchResult): string[] {
  const first = r.scenarios[0]?.cpu ?? r.idle.cpu;
  return first.rows.filter((row) => row.userSeconds !== undefined).map((row) => row.name);
}

function scenarioTable(r: BenchResult): string[] {
  return [
    `| scenario | events | deliveries/s | of raw | latency p50 / p95 / p99 / max (ms) | accepted events/s | stack CPU s per 1,000 | duplicates | signatures valid (all; pkg 1 in 50) | log-store recorded all |`,
    '|---|---:|---:|---:|---|---:|---:|---:|---|---|',
    ...r.scenarios.map(
      (s) =>
        `| ${s.scenario.name} | ${thousands(s.scenario.events)} | **${thousands(s.deliveriesPerSecond)}** | ${pct(s.ratioToRaw)} | ${lat(s.latencyMs)} | ${thousands(s.acceptedPerSecond)} | ${s.stackCpuPer1000} | ${s.duplicates} | ` +
        `${s.requests - s.badSignatures}/${s.requests}; ${s.libVerified}/${s.libVerified + s.libFailed} | ` +
        `${s.logStore.allRecordedSecondsAfterLastDelivery === null ? `no: ${s.logStore.recordedSucceeded}` : `+${s.logStore.allRecordedSecondsAfterLastDelivery} s`} |`,
    ),
  ];
}

function userSystem(cpu: CpuReport, name: string): string {
  const row = cpu.rows.find((x) => x.name === name);
  return row ? `${row.percent} % (user ${row.userSeconds} s, system ${row.systemSeconds} s)` : '?';
}

function rawTable(r: BenchResult): string[] {
  return [
    `| raw run | req/s | latency p50 / p95 / p99 / max (ms) | signatures valid | bench sender CPU | bench receiver CPU | machine busy |`,
    '|---|---:|---|---|---|---|---:|',
    ...r.raw.map(
      (x) =>
        `| ${x.when} the scenarios | **${thousands(x.requestsPerSecond)}** | ${lat(x.latencyMs)} | ${x.requests - x.badSignatures}/${x.requests} | ` +
        `${userSystem(x.cpu, 'bench sender')} | ${userSystem(x.cpu, 'bench receiver')} | ${x.cpu.machineBusyPercent} % |`,
    ),
  ];
}

function cpuTable(r: BenchResult): string[] {
  const names = processNames(r);
  const head = r.scenarios.map((s) => s.scenario.name);
  const rows = names.map(
    (name) =>
      `| ${name} | ${r.idle.cpu.rows.find((x) => x.name === name)?.percent ?? '?'} % | ${r.scenarios.map((s) => `${s.cpuPer1000[name] ?? '?'} (${s.cpu.rows.find((x) => x.name === name)?.percent ?? '?'} %)`).join(' | ')} |`,
  );
  const extra = (key: (n: string) => boolean, label: string) =>
    `| ${label} | ${r.idle.cpu.rows
      .filter((x) => key(x.name))
      .reduce((n, x) => n + x.percent, 0)
      .toFixed(1)} % | ${r.scenarios
      .map(
        (s) =>
          `${s.cpu.rows
            .filter((x) => key(x.name))
            .reduce((n, x) => n + (s.cpuPer1000[x.name] ?? 0), 0)
            .toFixed(3)}`,
      )
      .join(' | ')} |`;
  return [
    `CPU seconds per 1,000 deliveries per process (in brackets: % of one core over the scenario's window, first send until log-store recorded all); idle: % of one core over ${r.idle.cpu.seconds} s with nothing to do.`,
    '',
    `| process | idle | ${head.join(' | ')} |`,
    `|---|---:|${head.map(() => '---:').join('|')}|`,
    ...rows,
    `| **stack: services + Kafka + PostgreSQL** | **${r.idle.stackPercentOfOneCore} %** | ${r.scenarios.map((s) => `**${s.stackCpuPer1000}**`).join(' | ')} |`,
    extra((n) => n.startsWith('kernel'), 'kernel irq/softirq + steal'),
    extra((n) => n.startsWith('other'), 'other processes on the machine'),
  ];
}

function memoryTable(r: BenchResult): string[] {
  const names = processNames(r);
  const rowOf = (rows: MemoryRow[], name: string) => rows.find((x) => x.name === name);
  const last = r.scenarios[r.scenarios.length - 1];
  const peakOver = (name: string, key: 'peakRssBytes' | 'peakPssBytes') =>
    Math.max(rowOf(r.idle.memory.rows, name)?.[key] ?? 0, ...r.scenarios.map((s) => rowOf(s.memory.rows, name)?.[key] ?? 0));
  return [
    'Memory in MB (RSS from /proc/<pid>/status every 250 ms; PSS from smaps_rollup every second; PostgreSQL: the sum over its processes):',
    '',
    `| process | idle RSS | ${r.scenarios.map((s) => `${s.scenario.name} peak / final RSS`).join(' | ')} | peak RSS | peak PSS |`,
    `|---|---:|${r.scenarios.map(() => '---:').join('|')}|---:|---:|`,
    ...names.map(
      (name) =>
        `| ${name} | ${mb(rowOf(r.idle.memory.rows, name)?.finalRssBytes ?? 0)} | ${r.scenarios
          .map((s) => `${mb(rowOf(s.memory.rows, name)?.peakRssBytes ?? 0)} / ${mb(rowOf(s.memory.rows, name)?.finalRssBytes ?? 0)}`)
          .join(' | ')} | ${mb(peakOver(name, 'peakRssBytes'))} | ${mb(peakOver(name, 'peakPssBytes'))} |`,
    ),
    `| **stack (services + Kafka + PostgreSQL), peak of the sum** | ${mb(r.idle.memory.stackPeakRssBytes)} | ${r.scenarios
      .map((s) => mb(s.memory.stackPeakRssBytes))
      .join(' | ')} | **${mb(r.stackPeakRssBytes)}** | **${mb(r.stackPeakPssBytes)}** |`,
    ...(last && last.memory.stackRssPerMinute.length > 2
      ? ['', `Stack RSS per minute of ${last.scenario.name} (MB): ${last.memory.stackRssPerMinute.map(mb).join(', ')}`]
      : []),
  ];
}

function topicTable(r: BenchResult): string[] {
  const topics = [...new Set(r.scenarios.flatMap((s) => s.topics.map((t) => t.topic)))].sort();
  if (topics.length === 0) return ['Topics: end offsets could not be read.'];
  const cell = (s: ScenarioResult, topic: string) => {
    const t = s.topics.find((x) => x.topic === topic);
    return t ? `${t.messagesPerDelivery} / ${t.bytesPerDelivery ?? '?'}` : '–';
  };
  const total = (s: ScenarioResult) =>
    `**${s.topics.reduce((n, t) => n + t.messagesPerDelivery, 0).toFixed(2)} / ${s.topics.some((t) => t.bytesPerDelivery === null) ? '?' : Math.round(s.topics.reduce((n, t) => n + (t.bytesPerDelivery ?? 0), 0))}**`;
  return [
    'Messages / bytes per delivery on each topic (end offsets from the broker; bytes of the log segment files, when the bench started the broker):',
    '',
    `| topic | ${r.scenarios.map((s) => s.scenario.name).join(' | ')} |`,
    `|---|${r.scenarios.map(() => '---:').join('|')}|`,
    ...topics.map((topic) => `| ${topic} | ${r.scenarios.map((s) => cell(s, topic)).join(' | ')} |`),
    `| **all topics** | ${r.scenarios.map(total).join(' | ')} |`,
  ];
}

function hopTable(r: BenchResult): string[] {
  if (!r.scenarios.some((s) => s.hops)) return ['Latency per hop: the topics could not be read.'];
  const cell = (s: ScenarioResult, hop: 'ingest' | 'rulesEngine' | 'dispatcher') => {
    const l = s.hops?.[hop];
    return l && l.count ? `${l.p50} / ${l.p95} / ${l.p99}` : '–';
  };
  const hops = [
    ['ingest: sent → accepted record', 'ingest'],
    ['rules-engine: accepted → delivery request record', 'rulesEngine'],
    ['dispatcher: delivery request → attempt started', 'dispatcher'],
  ] as const;
  return [
    'Latency per hop, p50 / p95 / p99 ms (record timestamps on the topics; what remains of the end-to-end latency is signing, the HTTP request and the receiver):',
    '',
    `| hop | ${r.scenarios.map((s) => s.scenario.name).join(' | ')} |`,
    `|---|${r.scenarios.map(() => '---:').join('|')}|`,
    ...hops.map(([label, hop]) => `| ${label} | ${r.scenarios.map((s) => cell(s, hop)).join(' | ')} |`),
  ];
}

function targetTable(r: BenchResult): string[] {
  return [
    '| target | measured by | measured | met |',
    '|---|---|---:|---|',
    ...r.targets.map((t) => `| ${t.target} | ${t.measuredBy} | ${t.measured} | ${t.met === null ? '–' : t.met ? '**yes**' : 'no'} |`),
  ];
}

export function printReport(r: BenchResult, jsonFiles: string[]): void {
  const m = r.machine;
  const vulnerable = Object.entries(m.mitigations).filter(([, v]) => v.startsWith('Vulnerable'));
  const lines = [
    '',
    `### Benchmark, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- command: \`${r.command}\` (code: ${r.code})`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}; busy ${m.busyPercentBeforeStart} % before the bench started`,
    `- CPU vulnerabilities: ${Object.keys(m.mitigations).length} listed, ${vulnerable.length} unmitigated (${vulnerable.map(([k]) => k).join(', ') || 'none'}); the rest mitigated or not affected`,
    `- infrastructure: ${m.infrastructure}; everything on 127.0.0.1`,
    `- ${r.config.endpoints} endpoint(s), one tenant each, event i → endpoint i mod ${r.config.endpoints}; ${r.config.topicPartitions} partitions per topic; ` +
      `dispatcher concurrency ${r.config.dispatcherEndpointConcurrency} per endpoint; ${r.config.warmupEvents} warm-up events`,
    `- raw limit: ${thousands(r.rawLimit.requestsPerSecond)} req/s (mean of ${r.raw.map((x) => thousands(x.requestsPerSecond)).join(' and ')}, spread ${r.rawLimit.spreadPercent} %` +
      `${r.rawLimit.spreadPercent > 10 ? ': LARGE, the machine changed during the run; compare ratios with care' : ''}); ` +
      `${r.config.rawEvents} signed POSTs, ${r.config.rawConcurrency} in flight, bench sender → bench receiver`,
    `- results: ${jsonFiles.join(', ')}`,
    '',
    ...scenarioTable(r),
    '',
    ...rawTable(r),
    '',
    ...cpuTable(r),
    '',
    ...memoryTable(r),
    '',
    ...topicTable(r),
    '',
    ...hopTable(r),
    '',
    'Targets:',
    '',
    ...targetTable(r),
  ];
  const dispatcher = r.scenarios.filter((s) => Object.keys(s.dispatcher).length);
  if (dispatcher.length) {
    lines.push('', 'Dispatcher metrics per scenario:', '');
    for (const s of dispatcher)
      lines.push(
        `- ${s.scenario.name}: ${Object.entries(s.dispatcher)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
  }
  if (r.profiles) {
    lines.push(
      '',
      "CPU profiles over the scenarios (self time, % of each service's busy time; profiling slows the services: do not quote this run's figures):",
    );
    for (const [service, prof] of Object.entries(r.profiles)) {
      lines.push('', `- ${service} (busy ${prof.busyPercentOfWall} %): ${prof.packages.map((x) => `${x.key} ${x.percentOfBusy} %`).join(', ')}`);
      for (const f of prof.functions.slice(0, 6)) lines.push(`    - ${f.percentOfBusy} % ${f.key}`);
    }
  }
  const seen = [
    ['idle', r.idle.cpu] as const,
    ...r.scenarios.map((s) => [s.scenario.name, s.cpu] as const),
    ...r.raw.map((x) => [`raw ${x.when}`, x.cpu] as const),
  ]
    .map(([phase, rep]) => [phase, rep.rows.find((x) => x.key === 'other')?.name.match(/\(seen: (.*)\)/)?.[1]] as const)
    .filter(([, names]) => names);
  if (seen.length) lines.push('', `Other processes seen: ${seen.map(([phase, names]) => `${phase}: ${names}`).join('; ')}.`);
  const findings = Object.entries(r.logFindings);
  if (findings.length) {
    lines.push('', 'Service log findings (warn/error lines and stderr, grouped):', '');
    for (const [service, list] of findings) for (const f of list.slice(0, 6)) lines.push(`- ${service}: ${f.n}× ${f.message}`);
  } else lines.push('', 'Service logs: no warnings or errors.');
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
