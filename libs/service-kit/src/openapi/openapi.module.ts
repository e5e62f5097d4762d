import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { API_INFO, DocsController, DOCUMENT_OPTIONS } from './docs.controller';
import type { ApiInfo, DocumentOptions } from './openapi-document';
import { RouteCatalog } from './route-catalog';

/** Serves the service's OpenAPI document and its readable page at `/docs` (admin-api and ingest import it). */
@Module({})
export class OpenApiModule {
  static forRoot(info: ApiInfo, options: DocumentOptions): DynamicModule {
    return {
      module: OpenApiModule,
      imports: [DiscoveryModule],
      controllers: [DocsController],
      providers: [RouteCatalog, { provide: API_INFO, useValue: info }, { provide: DOCUMENT_OPTIONS, useValue: options }],
      exports: [RouteCatalog],
    };
  }
}
