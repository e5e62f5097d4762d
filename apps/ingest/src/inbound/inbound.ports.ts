/** An inbound source as ingest reads it: its secret still sealed. */
export interface InboundSource {
  id: string;
  tenantId: string;
  provider: string;
  secret: string | null;
  publicKey: string | null;
  options: Record<string, unknown>;
  eventTypePrefix: string;
  enabled: boolean;
  storeBodies: boolean;
}

/** One line of the inbound log. */
export interface InboundLogEntry {
  id: string;
  sourceId: string;
  tenantId: string | null;
  receivedAt: Date;
  outcome: 'accepted' | 'handshake' | 'refused';
  status: number;
  reason: string | null;
  detail: string | null;
  size: number;
  eventIds: string[];
  body: string | null;
}

/** Inbound sources and the inbound log (PostgreSQL). */
export interface InboundStore {
  /** The live source of that id, enabled or not; null when there is none (or it was deleted). */
  source(id: string): Promise<InboundSource | null>;
  record(entry: InboundLogEntry): Promise<void>;
}
