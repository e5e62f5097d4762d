import { Controller, Get, Header } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { z } from 'zod';
import { ApiRoute } from '../openapi/api-route';

let collecting = false;

@Controller()
export class MetricsController {
  constructor() {
    if (!collecting) {
      collectDefaultMetrics({ prefix: 'hookline_' });
      collecting = true;
    }
  }

  @Get('metrics')
  @ApiRoute({
    tag: 'Operations',
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'the metrics in the Prometheus text format', schema: z.string(), contentType: register.contentType } },
  })
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
