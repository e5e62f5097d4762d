import type { FieldIssue } from '@hookline/contracts';
import type { Condition } from './condition';

type Schema = { [key: string]: unknown };

/**
 * The comparisons whose `data` path the event type's schema does not declare,
 * each named by its field and the path (`filter.all.1.path`: "data.custmer.tier
 * is not in the schema of ticket.created"). A path is declared when every key
 * is a property of the schema at that level (a number an item of a list),
 * through `allOf`, `anyOf` and `oneOf`; below an object whose schema lists no
 * properties at all, anything goes. Paths of raw JSON Logic rules (`var`) are
 * checked the same way.
 */
export function undeclaredPaths(condition: Condition, schema: Schema, eventType: string, field: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (path: string, at: string) => {
    if (!path.startsWith('data.') || declared(schema, path.split('.').slice(1))) return;
    issues.push({ field: at, rule: `${path} is not in the schema of ${eventType}` });
  };
  const walk = (node: Condition, at: string): void => {
    if ('all' in node) return node.all.forEach((c, i) => walk(c, `${at}.all.${i}`));
    if ('any' in node) return node.any.forEach((c, i) => walk(c, `${at}.any.${i}`));
    if ('not' in node) return walk(node.not, `${at}.not`);
    if ('jsonLogic' in node) return varsOf(node.jsonLogic).forEach((path) => check(path, `${at}.jsonLogic`));
    check(node.path, `${at}.path`);
  };
  walk(condition, field);
  return issues;
}

function declared(schema: Schema, keys: string[]): boolean {
  let level: Schema[] = [schema];
  for (const key of keys) {
    const next: Schema[] = [];
    let open = false;
    for (const s of level.flatMap(branches)) {
      const properties = s.properties as Record<string, Schema> | undefined;
      const items = s.items as Schema | undefined;
      const prefixItems = s.prefixItems as Schema[] | undefined;
      if (properties && key in properties) next.push(properties[key]);
      if (/^\d+$/.test(key)) {
        if (prefixItems?.[Number(key)]) next.push(prefixItems[Number(key)]);
        else if (items && typeof items === 'object') next.push(items);
      }
      if (!properties && !items && !prefixItems) open = true;
    }
    if (next.length === 0) return open;
    level = next;
  }
  return true;
}

/** A schema and the alternatives it combines. */
function branches(schema: Schema): Schema[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const nested = ['allOf', 'anyOf', 'oneOf'].flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as Schema[]) : []));
  return [schema, ...nested.flatMap(branches)];
}

function varsOf(rule: unknown): string[] {
  if (Array.isArray(rule)) return rule.flatMap(varsOf);
  if (typeof rule !== 'object' || rule === null) return [];
  return Object.entries(rule).flatMap(([op, args]) => {
    if (op !== 'var') return varsOf(args);
    const path = Array.isArray(args) ? args[0] : args;
    return typeof path === 'string' ? [path] : [];
  });
}
