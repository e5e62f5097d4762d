import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { dirname, join } from 'node:path';
import { ApiExcluded } from './api-route';
import { openApiDocument, type ApiInfo, type DocumentOptions } from './openapi-document';
import { RouteCatalog } from './route-catalog';

export const API_INFO = Symbol('API_INFO');
export const DOCUMENT_OPTIONS = Symbol('DOCUMENT_OPTIONS');

/** The files of the Swagger UI build the readable page needs, served from the installed package (no CDN). */
const UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);
const uiDirectory = () => dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#api', deepLinking: true });</script>
</body>
</html>`;

/** `/docs`: the service's OpenAPI 3.1 document as JSON, and a page to read and try it. Public: it holds no data. */
@Controller('docs')
export class DocsController {
  private document?: Record<string, unknown>;

  constructor(
    private readonly routes: RouteCatalog,
    @Inject(API_INFO) private readonly info: ApiInfo,
    @Inject(DOCUMENT_OPTIONS) private readonly options: DocumentOptions,
  ) {}

  @Get()
  @ApiExcluded()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE(this.info.title);
  }

  @Get('openapi.json')
  @ApiExcluded()
  openapi(): Record<string, unknown> {
    // Routes do not change once the service runs: built on first use.
    this.document ??= openApiDocument(this.info, this.routes.routes(), this.options);
    return this.document;
  }

  @Get('assets/:file')
  @ApiExcluded()
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!UI_FILES.has(file)) throw new NotFoundException({ error: 'not_found', message: `no such file: ${file}` });
    res.sendFile(join(uiDirectory(), file), { maxAge: '1h' });
  }
}
