import { Injectable } from '@nestjs/common';
import type { ReadinessCheck } from './health.controller';

/** Where a service's consumers and other dependencies add their readiness checks. */
@Injectable()
export class Readiness {
  readonly checks: ReadinessCheck[] = [];
  add(name: string, check: () => Promise<void>): void {
    this.checks.push({ name, check });
  }
}
