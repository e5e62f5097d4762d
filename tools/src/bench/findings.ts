import { readFileSync } from 'node:fs';
import { SERVICES, type Stack } from '@hookline/stack';

export interface Finding {
  n: number;
  message: string;
}

/** The dispatcher's attempt and deferral counters (Prometheus text), by series. */
export async function dispatcherMetrics(stack: Stack): Promise<Record<string, number>> {
  try {
    const res = await fetch(`${stack.url('dispatcher')}/metrics`);
    const text = await res.text();
    const out: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const m = /^(hookline_attempts_total|hookline_deliveries_deferred_total)(\{[^}]*\})?\s+([0-9.e+]+)/.exec(line);
      if (m) out[`${m[1]}${m[2] ?? ''}`] = Number(m[3]);
    }
    return out;
  } catch {
    return {};
  }
}

export function diffMetrics(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d) out[key.replace('hookline_', '')] = d;
  }
  return out;
}

/** Warnings, errors and non-JSON output (stderr) in the service logs, grouped by message. */
export function scanLogs(stack: Stack): Record<string, Finding[]> {
  const findings: Record<string, Finding[]> = {};
  for (const name of SERVICES) {
    let text = '';
    try {
      text = readFileSync(stack.logFile(name), 'utf8');
    } catch {
      continue;
    }
    const groups = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let key: string;
      if (line.startsWith('{')) {
        try {
          const entry = JSON.parse(line) as { level?: string; msg?: unknown; err?: { message?: unknown } };
          if (!['warn', 'error', 'fatal'].includes(entry.level ?? '')) continue;
          key = `${entry.level}: ${String(entry.msg ?? '').slice(0, 160)}${entry.err?.message ? ` (${String(entry.err.message).slice(0, 120)})` : ''}`;
        } catch {
          key = `unparsed: ${line.slice(0, 160)}`;
        }
      } else {
        // the inspector's own messages (--profile)
        if (/^(Debugger (listening|attached|ending)|For help, see: https:\/\/nodejs\.org\/.*debugging|Waiting for the debugger)/.test(line)) continue;
        key = `stderr: ${line
          .replace(/\(node:\d+\)/, '(node)')
          .replace(/-?\d{10,}/g, 'N')
          .slice(0, 160)}`;
      }
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    if (groups.size) findings[name] = [...groups.entries()].sort((a, b) => b[1] - a[1]).map(([message, n]) => ({ n, message }));
  }
  return findings;
}
