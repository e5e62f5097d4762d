import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { EventInput, FieldIssue } from '@hookline/contracts';
import { ApiRoute, RequireScope, tenantInBody, validationFailed, type TenantsOf } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import type { Request } from 'express';
import { AcceptCoalescer } from '../accept-events/accept-coalescer';
import { MAX_BATCH, validateEventInput } from './event-input';
import { EventsDocs } from './events.docs';

const tenantsInBatch: TenantsOf = (req) => {
  const events = (req.body as { events?: unknown } | null)?.events;
  return Array.isArray(events) ? events.map((e) => (e as { tenantId?: unknown } | null)?.tenantId) : [];
};

/** The HTTP event API: maps bodies to accept commands, nothing more. */
@Controller('v1/events')
export class EventsController {
  constructor(private readonly acceptEvents: AcceptCoalescer) {}

  @Post()
  @ApiRoute(EventsDocs.publishOne)
  @HttpCode(202)
  @RequireScope('events:write', { tenants: tenantInBody })
  async publishOne(@Body() body: unknown, @Req() req: Request) {
    const result = validateEventInput(body);
    if (!result.ok) throw validationFailed(result.issues);
    const [accepted] = await this.acceptEvents.execute(
      [{ input: result.value, parentContext: contextFromHeaders(req.headers as Record<string, string>) }],
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
    const parentContext = contextFromHeaders(req.headers as Record<string, string>);
    const results = await this.acceptEvents.execute(
      inputs.map((input) => ({ input, parentContext })),
      'http',
    );
    return { events: results };
  }
}
