import type { Row } from './scenarios';

/* The suite's table: one Markdown row per scenario, then the soak's memory. */

export function table(rows: readonly Row[]): string {
  const head = [
    'scenario',
    'sent',
    'delivered',
    'lost',
    'repeated (same id)',
    'repeated (different id)',
    'invalid signatures',
    'not in log',
    'recover s',
    'result',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const cells = [
      r.scenario,
      r.sent,
      r.delivered,
      r.lost,
      r.repeatedSameId,
      r.repeatedDifferentId,
      r.invalidSignatures,
      r.notInLog,
      r.recoverS ?? '—',
      r.pass ? 'PASS' : '**FAIL**',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('', 'Notes:', '');
  for (const r of rows) lines.push(`- ${r.scenario}: ${r.notes.join('; ') || '—'}`);
  const soak = rows.find((r) => r.rss);
  if (soak?.rss) {
    lines.push('', 'Soak, resident memory per process (MiB):', '', '| process | first | last | growth |', '|---|---:|---:|---:|');
    for (const p of soak.rss) lines.push(`| ${p.name} | ${p.firstMiB} | ${p.lastMiB} | ${growth(p.firstMiB, p.lastMiB)} |`);
  }
  return lines.join('\n');
}

const growth = (first: number, last: number) => (first > 0 ? `${last >= first ? '+' : ''}${(((last - first) / first) * 100).toFixed(1)} %` : '—');
