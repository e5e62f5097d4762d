import type {
  EndpointChat,
  EndpointId,
  EndpointRateLimit,
  EndpointRetryPolicy,
  EndpointSecret,
  EndpointSigningKey,
  EndpointState,
  SignatureScheme,
  StateChangeCause,
  TenantId,
} from '@hookline/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A signing secret as stored: `secret` is sealed under the master key. */
export type StoredSecret = EndpointSecret;

/** A key pair as stored: `privateKey` is sealed; `publicKey` is `whpk_…` (ed25519) or SPKI PEM (rsa). */
export interface StoredSigningKey extends EndpointSigningKey {
  publicKey: string;
}

@Entity('endpoints')
export class EndpointEntity {
  @PrimaryColumn('uuid') id!: EndpointId;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: TenantId;
  @Column({ type: 'text' }) url!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ name: 'event_types', type: 'text', array: true }) eventTypes!: string[];
  @Column({ name: 'signature_schemes', type: 'text', array: true }) signatureSchemes!: SignatureScheme[];
  @Column({ type: 'jsonb' }) secrets!: StoredSecret[];
  @Column({ name: 'signing_keys', type: 'jsonb' }) signingKeys!: StoredSigningKey[];
  @Column({ type: 'jsonb' }) headers!: Record<string, string>;
  /** Kept equal to `state !== 'disabled'` (what readers from before states know). */
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ type: 'text' }) state!: EndpointState;
  /** Who or what set the state; null for an endpoint created in it and never changed. */
  @Column({ name: 'state_cause', type: 'text', nullable: true }) stateCause!: StateChangeCause | null;
  /** The API key that asked (operator changes only). */
  @Column({ name: 'state_actor', type: 'text', nullable: true }) stateActor!: string | null;
  @Column({ name: 'state_reason', type: 'text', nullable: true }) stateReason!: string | null;
  @Column({ name: 'state_changed_at', type: 'timestamptz', nullable: true }) stateChangedAt!: Date | null;
  /** The endpoint `version` at which the state last changed. */
  @Column({ name: 'state_version', type: 'integer' }) stateVersion!: number;
  @Column({ name: 'disable_after_failures', type: 'integer' }) disableAfterFailures!: number;
  @Column({ name: 'timeout_ms', type: 'integer' }) timeoutMs!: number;
  /** As the endpoints topic carries it (milliseconds); null = the default schedule. */
  @Column({ name: 'retry_policy', type: 'jsonb', nullable: true }) retryPolicy!: EndpointRetryPolicy | null;
  /** `{ perSecond, burst }`, enforced by the dispatcher; null = no limit. */
  @Column({ name: 'rate_limit', type: 'jsonb', nullable: true }) rateLimit!: EndpointRateLimit | null;
  /** Requests in flight at once, within the dispatcher's `DISPATCHER_ENDPOINT_CONCURRENCY`; null = that. */
  @Column({ name: 'max_in_flight', type: 'integer', nullable: true }) maxInFlight!: number | null;
  /** A condition an event must match to be delivered here (libs/conditions); null = every subscribed event. */
  @Column({ type: 'jsonb', nullable: true }) filter!: Record<string, unknown> | null;
  /** A chat endpoint's tool, sealed URL, Telegram chat and template (`url` then holds the masked URL); null for a webhook endpoint. */
  @Column({ type: 'jsonb', nullable: true }) chat!: EndpointChat | null;
  /** Bumped on every change; the compacted topic has it once `publishedVersion` catches up. */
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'published_version', type: 'integer' }) publishedVersion!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
}

/** What every shape of an endpoint carries: its settings, without any key material. */
export function endpointSettings(e: EndpointEntity) {
  const { id, tenantId, url, description, eventTypes, signatureSchemes, headers, enabled, timeoutMs, disableAfterFailures } = e;
  return {
    id,
    tenantId,
    url,
    description,
    eventTypes,
    signatureSchemes,
    headers,
    enabled,
    timeoutMs,
    disableAfterFailures,
    retryPolicy: e.retryPolicy ?? null,
    rateLimit: e.rateLimit ?? null,
    maxInFlight: e.maxInFlight ?? null,
    filter: e.filter ?? null,
  };
}

/** What a chat endpoint shows of its chat settings: everything but the sealed URL; null for a webhook endpoint. */
export function chatSettings(e: Pick<EndpointEntity, 'chat'>) {
  if (!e.chat) return null;
  const { tool, telegramChatId, template } = e.chat;
  return { tool, telegramChatId, template };
}
