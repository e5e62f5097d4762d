import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';

/** A value written in the decorator, or read from the service's config when the service starts. */
export type FromConfig<V> = V | ((config: never) => V);

export function fromConfig<V>(value: FromConfig<V>, config: unknown): V {
  return typeof value === 'function' ? (value as (config: unknown) => V)(config) : value;
}

/** A method of a provider that carries a declaration under `key`, bound to its instance. */
export interface Declared<M> {
  owner: string;
  method: string;
  meta: M;
  call: (...args: never[]) => Promise<unknown>;
}

/**
 * Finds the methods of every provider that carry metadata under `key` (how
 * `@ConsumeBatches`, `@ConsumeEach` and `@PeriodicJob` are found), as
 * `@nestjs/schedule` finds its `@Cron` and `@Interval` methods.
 */
@Injectable()
export class Declarations {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  find<M>(key: symbol): Declared<M>[] {
    const found: Declared<M>[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      // Providers made by a factory or given as a value are scanned too: a use case wired with
      // `useFactory` may carry a declaration as well as a class provider.
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const meta = Reflect.getMetadata(key, fn) as M | undefined;
        if (meta !== undefined)
          found.push({ owner: instance.constructor.name, method, meta, call: (fn as (...args: never[]) => Promise<unknown>).bind(instance) });
      }
    }
    return found;
  }
}
