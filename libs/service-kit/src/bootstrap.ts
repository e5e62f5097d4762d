import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { raw } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError } from '@hookline/config';
import { Logger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { bodyParserErrors, ErrorBodyFilter } from './http/error-body.filter';
import { refuseUnsafeJson } from './http/json-body';
import { LOGGER } from './tokens';

export interface ServicePlan {
  module: Type<unknown> | DynamicModule;
  port: number;
  host: string;
  jsonLimit?: string;
  /** Paths whose bodies reach the handler as raw bytes (`Buffer`), whatever their type, with each path's size limit. */
  rawBodies?: Record<string, string>;
}

/**
 * What every service's HTTP side is set up with, in production and in the
 * in-process API tests alike: the pino logger, one error body for every error,
 * and the JSON body parser with its size limit (`1mb` unless given), which
 * refuses too deep a body or an inexact number before parsing it; the paths of
 * `rawBodies` get their bodies as bytes instead (a signature is checked on those).
 * The app must be created with `bodyParser: false`.
 */
export function configureServiceApp(app: NestExpressApplication, jsonLimit = '1mb', rawBodies: Record<string, string> = {}): void {
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ErrorBodyFilter(app.get<Pino>(LOGGER)));
  // Before the JSON parser, which then leaves these bodies alone; a body over the limit is refused (413) before it is read whole.
  for (const [path, limit] of Object.entries(rawBodies)) app.use(path, raw({ type: () => true, limit }));
  // Nest's type leaves `verify` out (it sets it itself for raw bodies, which Hookline does not ask for); express.json takes it as ever.
  const json = { limit: jsonLimit, verify: refuseUnsafeJson };
  app.useBodyParser('json', json);
  app.use(bodyParserErrors);
}

/** Boots a Hookline service: logger first, one error body for every error, JSON body limit, graceful shutdown on SIGTERM/SIGINT. */
export async function runService(service: string, plan: () => ServicePlan): Promise<INestApplication> {
  let options: ServicePlan;
  try {
    // Loading the config happens here, so a bad variable ends the boot with its message, not a stack trace.
    options = plan();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(options.module, { bufferLogs: true, bodyParser: false });
  configureServiceApp(app, options.jsonLimit, options.rawBodies);
  app.enableShutdownHooks();
  await app.listen(options.port, options.host);
  app.get(Logger).log(`${service} listening on http://${options.host}:${options.port}`);
  return app;
}
