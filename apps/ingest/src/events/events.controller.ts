import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { formatIssues, type EventInput, type FieldIssue } from '@hookline/contracts';
import { ApiError, ApiRoute, RequireScope, tenantInBody, validationFailed, type TenantsOf } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import type { Request } from 'express';
import { AcceptCoalescer } from '../accept-events/accept-coalescer';
import { CheckSchemas, type SchemaVerdict } from '../schemas/check-schemas.usecase';
import { MAX_BATCH, validateEventInput } from './event-input';
import { EventsDocs } from './events.docs';

const tenantsInBatch: TenantsOf = (req) => {
  const events = (req.body as { events?: unknown } | null)?.events;
  return Array.isArray(events) ? events.map((e) => (e as { tenantId?: unknown } | null)?.tenantId) : [];
};

/** 422: `data` breaks its type's schema under mode `enforce`; each field is a JSON pointer into the body (`/data/customer/tier`). */
const schemaViolation = (issues: FieldIssue[]) => new ApiError(422, 'schema_violation', formatIssues(issues), issues);

const flagged = (verdict: SchemaVerdict) => (verdict.kind === 'flag' ? verdict.violations : undefined);

/** The HTTP event API: maps bodies to checked accept commands, nothing more. */
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly acceptEvents: AcceptCoalescer,
    private readonly checkSchemas: CheckSchemas,
  ) {}

  @Post()
  @ApiRoute(EventsDocs.publishOne)
  @HttpCode(202)
  @RequireScope('events:write', { tenants: tenantInBody })
  async publishOne(@Body() body: unknown, @Req() req: Request) {
    const result = validateEventInput(body);
    if (!result.ok) throw validationFailed(result.issues);
    const [verdict] = await this.checkSchemas.execute([result.value]);
    if (verdict.kind === 'refuse') throw schemaViolation(verdict.violations.map((v) => ({ field: `/data${v.pointer}`, rule: v.rule })));
    const [accepted] = await this.acceptEvents.execute(
      [{ input: result.value, schemaViolations: flagged(verdict), parentContext: contextFromHeaders(req.headers as Record<string, string>) }],
      'http',
    );
    return accepted;
  }

  @Post('batch')
  @ApiRoute(EventsDocs.publishMany)
  @HttpCode(202)
  @RequireScope('events:write', { tenants: tenantsInBatch })
  async publishMany(@Body() body: unknown, @Req() req: Request) {
    const events = (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) throw validationFailed([{ field: 'events', rule: 'must be an array of events' }]);
    if (events.length === 0 || events.length > MAX_BATCH)
      throw validationFailed([{ field: 'events', rule: `must hold 1-${MAX_BATCH} events (got ${events.length})` }]);
    const inputs: EventInput[] = [];
    const issues: FieldIssue[] = [];
    events.forEach((event, i) => {
      const result = validateEventInput(event, `events.${i}`);
      if (result.ok) inputs.push(result.value);
      else issues.push(...result.issues);
    });
    if (issues.length > 0) throw validationFailed(issues);
    // One event refused by its schema refuses the batch, as one invalid envelope does: nothing of it is accepted.
    const verdicts = await this.checkSchemas.execute(inputs);
    const refused = verdicts.flatMap((v, i) =>
      v.kind === 'refuse' ? v.violations.map((x) => ({ field: `/events/${i}/data${x.pointer}`, rule: x.rule })) : [],
    );
    if (refused.length > 0) throw schemaViolation(refused);
    const parentContext = contextFromHeaders(req.headers as Record<string, string>);
    const results = await this.acceptEvents.execute(
      inputs.map((input, i) => ({ input, schemaViolations: flagged(verdicts[i]), parentContext })),
      'http',
    );
    return { events: results };
  }
}
