import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { InboundRequest } from '@hookline/inbound';
import { ApiRoute } from '@hookline/service-kit';
import type { Request, Response } from 'express';
import { InboundDocs } from './inbound.docs';
import { ReceiveCallback, type CallbackAnswer } from './receive-callback.usecase';

/** The public URL ingest is reached at, when set (`HOOKLINE_INBOUND_BASE_URL`); null: the request's own. */
export const INBOUND_BASE_URL = Symbol('INBOUND_BASE_URL');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where providers send their webhooks: `POST /v1/inbound/:sourceId` (and
 * `GET` for handshakes). No API key: the provider's own signature, checked by
 * the source's provider module, is what authenticates a request. The body
 * arrives as raw bytes (the route is one of ingest's raw-body paths).
 */
@Controller('v1/inbound')
export class InboundController {
  constructor(
    private readonly receive: ReceiveCallback,
    @Inject(INBOUND_BASE_URL) private readonly baseUrl: string | null,
  ) {}

  @Post(':sourceId')
  @ApiRoute(InboundDocs.receive)
  async post(@Param('sourceId') sourceId: string, @Req() req: Request, @Res() res: Response) {
    send(res, await this.answer(sourceId, req, 'POST'));
  }

  @Get(':sourceId')
  @ApiRoute(InboundDocs.handshake)
  async get(@Param('sourceId') sourceId: string, @Req() req: Request, @Res() res: Response) {
    send(res, await this.answer(sourceId, req, 'GET'));
  }

  private async answer(sourceId: string, req: Request, method: 'GET' | 'POST'): Promise<CallbackAnswer> {
    if (!UUID.test(sourceId))
      return { status: 404, contentType: 'application/json', body: JSON.stringify({ error: 'not_found', message: `inbound source ${sourceId} not found` }) };
    const request: InboundRequest = {
      method,
      url: `${this.baseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}${req.originalUrl}`,
      headers: Object.fromEntries(
        Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]])),
      ),
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      receivedAt: new Date(),
    };
    return this.receive.execute(sourceId, request);
  }
}

function send(res: Response, answer: CallbackAnswer): void {
  res.status(answer.status);
  if (answer.contentType) res.type(answer.contentType);
  res.send(answer.body ?? '');
}
