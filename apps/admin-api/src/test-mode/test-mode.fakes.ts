import { AttemptsCompletedTopic, type AttemptOutcome, type EndpointId, type EventId, type TenantId } from '@hookline/contracts';
import { MasterKeyring } from '@hookline/encryption';
import type { HttpSender, InboundResponse, OutboundRequest } from '@hookline/egress';
import type { OutgoingMessage } from '@hookline/kafka';
import { generateEd25519KeyPair } from '@hookline/signing';
import { randomBytes } from 'node:crypto';
import { EndpointSealing } from '../endpoints/endpoint-sealing';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { InMemoryEndpoints } from '../endpoints/endpoint.fakes';
import type { AttemptsTopic } from './test-mode.ports';

/*
 * Fakes of the test-mode ports for unit specs. Key material is sealed and
 * opened for real (a master keyring is pure computation), so the specs sign
 * with what the endpoint row holds.
 */

export const TENANT = 'acme' as TenantId;
export const ENDPOINT_ID = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const ED25519 = generateEd25519KeyPair();

/** An endpoint row signing with `schemes`, its secret and ed25519 key sealed under a fresh master key, and a sealing that opens them. */
export function sealedEndpoint(overrides: Partial<EndpointEntity> = {}) {
  const sealing = new EndpointSealing(new MasterKeyring(randomBytes(32)));
  const owner = { tenantId: TENANT, id: ENDPOINT_ID };
  const endpoints = new InMemoryEndpoints();
  const row = Object.assign(new EndpointEntity(), {
    id: ENDPOINT_ID,
    tenantId: TENANT,
    url: 'https://hooks.example.com/in?team=billing',
    description: '',
    eventTypes: ['*'],
    signatureSchemes: ['v1', 'hookline-v1', 'ed25519'],
    secrets: [{ secret: sealing.sealSecret(owner, SECRET), createdAt: '2026-01-01T00:00:00Z', expiresAt: null }],
    signingKeys: [
      {
        keyId: ED25519.keyId,
        algorithm: 'ed25519',
        privateKey: sealing.sealPrivateKey(owner, ED25519.privateKey),
        publicKey: ED25519.publicKey,
        createdAt: '2026-01-01T00:00:00Z',
      },
    ],
    headers: { 'X-Team': 'billing', Authorization: 'Bearer receiver-credential' },
    enabled: true,
    timeoutMs: 7_000,
    retryPolicy: null,
    version: 3,
    publishedVersion: 3,
    deletedAt: null,
    ...overrides,
  } satisfies Partial<EndpointEntity>);
  endpoints.rows.set(ENDPOINT_ID, row);
  return { endpoints, sealing, row };
}

/** An HTTP port that records what it was asked to send and answers as told. */
export class ScriptedHttp implements HttpSender {
  readonly sent: OutboundRequest[] = [];
  constructor(private readonly answer: (req: OutboundRequest) => InboundResponse | Promise<InboundResponse>) {}
  async post(req: OutboundRequest): Promise<InboundResponse> {
    this.sent.push(req);
    return this.answer(req);
  }
}

export class RecordingAttempts implements AttemptsTopic {
  readonly sent: AttemptOutcome[] = [];
  readonly headers: (Record<string, string> | undefined)[] = [];
  async send(topic: typeof AttemptsCompletedTopic, messages: OutgoingMessage<typeof AttemptsCompletedTopic>[]): Promise<void> {
    if (topic !== AttemptsCompletedTopic) throw new Error(`unexpected topic ${topic.name}`);
    for (const m of messages) {
      if (m.value) this.sent.push(m.value);
      this.headers.push(m.headers);
    }
  }
}

export const sequentialIds = (prefix = 'test_') => {
  let n = 0;
  return () => `${prefix}${++n}` as EventId;
};
