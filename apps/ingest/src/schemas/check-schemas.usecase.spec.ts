import { SchemaValidators } from '@hookline/catalog';
import type { EventTypeConfig, TenantId } from '@hookline/contracts';
import pino from 'pino';
import { CheckSchemas, type TenantCatalog } from './check-schemas.usecase';

const LEVEL = { type: 'object', properties: { level: { enum: ['low', 'high'] } }, required: ['level'] };

/** A catalog whose changes become visible only when a catch-up resolves, as with the compacted topic. */
class LaggingCatalog implements TenantCatalog {
  readonly visible = new Map<string, EventTypeConfig>();
  private readonly saved = new Map<string, EventTypeConfig>();
  syncs = 0;
  save(config: Partial<EventTypeConfig> & Pick<EventTypeConfig, 'name' | 'schemaMode'>): void {
    const full: EventTypeConfig = {
      tenantId: 'acme' as TenantId,
      schema: LEVEL,
      version: 1,
      deprecated: false,
      revision: 1,
      updatedAt: '2026-11-29T00:00:00Z',
      ...config,
    };
    this.saved.set(`${full.tenantId}/${full.name}`, full);
  }
  async syncToLatest(): Promise<void> {
    this.syncs += 1;
    for (const [key, value] of this.saved) this.visible.set(key, value);
  }
  settingsOf(tenantId: string, type: string): EventTypeConfig | undefined {
    return this.visible.get(`${tenantId}/${type}`);
  }
}

const logger = pino({ level: 'silent' });
const event = (type: string, data: Record<string, unknown>, tenantId = 'acme') => ({ tenantId: tenantId as TenantId, type, data });

describe('CheckSchemas', () => {
  it('applies every change saved before the call: it catches up with the catalog once per call, before checking', async () => {
    const catalog = new LaggingCatalog();
    const check = new CheckSchemas(catalog, new SchemaValidators(), () => undefined, logger);
    catalog.save({ name: 'alarm.raised', schemaMode: 'enforce' });
    expect(await check.execute([event('alarm.raised', {}), event('alarm.raised', { level: 'low' })])).toEqual([
      { kind: 'refuse', violations: [{ pointer: '/level', rule: 'is required' }] },
      { kind: 'pass' },
    ]);
    expect(catalog.syncs).toBe(1);
  });

  it('passes a type with no settings or mode off, flags under warn, and checks only the tenant that set the mode', async () => {
    const catalog = new LaggingCatalog();
    const check = new CheckSchemas(catalog, new SchemaValidators(), () => undefined, logger);
    catalog.save({ name: 'alarm.off', schemaMode: 'off' });
    catalog.save({ name: 'alarm.noted', schemaMode: 'warn' });
    expect(
      await check.execute([event('alarm.unknown', {}), event('alarm.off', {}), event('alarm.noted', { level: 'x' }), event('alarm.noted', {}, 'globex')]),
    ).toEqual([
      { kind: 'pass' },
      { kind: 'pass' },
      { kind: 'flag', violations: [{ pointer: '/level', rule: 'must be one of ["low","high"]' }] },
      { kind: 'pass' },
    ]);
  });

  it('checks a built-in type against Hookline’s schema, and a custom type against its newest version', async () => {
    const catalog = new LaggingCatalog();
    const check = new CheckSchemas(
      catalog,
      new SchemaValidators(),
      (type) => (type === 'ticket.created' ? { type: 'object', required: ['priority'] } : undefined),
      logger,
    );
    catalog.save({ name: 'ticket.created', schemaMode: 'enforce', schema: null });
    catalog.save({ name: 'alarm.raised', schemaMode: 'enforce' });
    expect(await check.execute([event('ticket.created', {}), event('alarm.raised', { level: 'low' })])).toEqual([
      { kind: 'refuse', violations: [{ pointer: '/priority', rule: 'is required' }] },
      { kind: 'pass' },
    ]);
    catalog.save({ name: 'alarm.raised', schemaMode: 'enforce', version: 2, revision: 2, schema: { type: 'object', required: ['source'] } });
    expect(await check.execute([event('alarm.raised', { level: 'low' })])).toEqual([
      { kind: 'refuse', violations: [{ pointer: '/source', rule: 'is required' }] },
    ]);
  });

  it('never refuses an event for a schema that does not compile: it passes and the schema is logged once', async () => {
    const catalog = new LaggingCatalog();
    const errors: unknown[] = [];
    const spyLogger = { error: (fields: unknown) => errors.push(fields) } as unknown as typeof logger;
    const check = new CheckSchemas(catalog, new SchemaValidators(), () => undefined, spyLogger);
    catalog.save({ name: 'alarm.raised', schemaMode: 'enforce', schema: { type: 'nonsense' } });
    expect(await check.execute([event('alarm.raised', {}), event('alarm.raised', {})])).toEqual([{ kind: 'pass' }, { kind: 'pass' }]);
    expect(errors).toEqual([expect.objectContaining({ tenantId: 'acme', eventType: 'alarm.raised', version: 1 })]);
  });
});
