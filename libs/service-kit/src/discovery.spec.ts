import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Declarations } from './discovery';

const KEY = Symbol('test:declared');
const Declared = (meta: string) => (_t: object, _k: string | symbol, d: PropertyDescriptor) => Reflect.defineMetadata(KEY, meta, d.value as object);

@Injectable()
class ByClass {
  @Declared('class provider')
  async run() {
    return 'ran by class';
  }
  async plain() {}
}

class ByFactory {
  constructor(private readonly word: string) {}
  @Declared('factory provider')
  async run() {
    return this.word;
  }
}

@Module({ imports: [DiscoveryModule], providers: [Declarations, ByClass, { provide: ByFactory, useFactory: () => new ByFactory('ran by factory') }] })
class TestModule {}

describe(Declarations.name, () => {
  it('finds declared methods of class and factory providers, bound to their instance', async () => {
    const app = await Test.createTestingModule({ imports: [TestModule] }).compile();
    const found = app.get(Declarations).find<string>(KEY);
    expect(found.map((d) => [d.owner, d.method, d.meta]).sort()).toEqual([
      ['ByClass', 'run', 'class provider'],
      ['ByFactory', 'run', 'factory provider'],
    ]);
    expect(await Promise.all(found.map((d) => d.call()))).toEqual(expect.arrayContaining(['ran by class', 'ran by factory']));
    await app.close();
  });
});
