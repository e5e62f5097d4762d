import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInQuery, type Caller } from '@hookline/service-kit';
import { eventTenant, toEventView } from './event.dto';
import { GetEvent } from './get-event/get-event.usecase';
import { EventDocs } from './event.docs';

/** One event of the delivery log with every delivery made of it. A tenant key sees its own tenant's only. */
@Controller('v1/events')
export class EventController {
  constructor(private readonly getEvent: GetEvent) {}

  @Get(':id')
  @ApiRoute(EventDocs.get)
  @RequireScope('deliveries:read', { tenants: tenantInQuery })
  async get(@Param('id') id: string, @Query() query: unknown, @CurrentCaller() caller: Caller) {
    return toEventView(await this.getEvent.execute(eventTenant(query, caller), id));
  }
}
