import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { ApiRoute } from '../openapi/api-route';

const CheckResults = z.record(z.string(), z.object({ status: z.string() }).catchall(z.unknown()));
const HealthSchema = z.object({ status: z.string(), info: CheckResults.optional(), error: CheckResults.optional(), details: CheckResults });

/** One dependency a service needs to do its work (Kafka, PostgreSQL, a consumer). */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  @ApiRoute({ tag: 'Operations', summary: 'Liveness: the process is up', responses: { 200: { description: 'up', schema: HealthSchema } } })
  live() {
    return this.health.check([]);
  }

  /**
   * Every dependency of this service answers and every consumer makes
   * progress: one indicator per dependency. Otherwise 503 `not_ready` in the
   * one error body, the message naming each check that is down and why, and
   * `details` holding every check.
   */
  @Get('ready')
  @HealthCheck()
  @ApiRoute({
    tag: 'Operations',
    summary: 'Readiness: every dependency answers and no consumer is stuck',
    responses: { 200: { description: 'ready; `details` holds each check', schema: HealthSchema } },
    errors: { 503: 'not ready (error `not_ready`): the message names each check that is down and why; `details` holds every check' },
  })
  async ready() {
    try {
      return await this.checkAll();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.entries(result.error ?? {}).map(([name, check]) => `${name}: ${String((check as { message?: unknown }).message ?? 'down')}`);
      throw new ApiError(503, 'not_ready', down.join('; ') || 'not ready', undefined, { details: result.details });
    }
  }

  private checkAll() {
    return this.health.check(
      this.checks.map((c) => async (): Promise<HealthIndicatorResult> => {
        const indicator = this.indicators.check(c.name);
        try {
          await withTimeout(c.check(), 3_000);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
