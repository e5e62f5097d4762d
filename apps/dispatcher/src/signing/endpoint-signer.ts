import { activeSecrets, sealingContext, type EndpointConfig } from '@hookline/contracts';
import type { MasterKeyring } from '@hookline/encryption';
import { hmacKeyOf, loadPrivateKey, requestPath, signRequest, type Body, type RsaSigningKey, type SchemeConfig } from '@hookline/signing';
import type { KeyObject } from 'node:crypto';
import type { Signer, SignResult } from '../deliver-attempt/deliver-attempt.usecase';

/** An endpoint's key material of one version, opened and decoded once. */
interface Opened {
  version: number;
  secrets: { secret: KeyObject; expiresAt: string | null }[];
  ed25519: KeyObject[];
  rsa: RsaSigningKey[];
}

// Opened material by endpoint id; an endpoint's entry is replaced when its version changes.
const CACHE_LIMIT = 50_000;

/**
 * Signs attempts with every scheme an endpoint chose. Secrets and private keys
 * arrive sealed on the endpoints topic; they are opened with the master key
 * once per endpoint version and kept in memory, never written anywhere.
 */
export class EndpointSigner implements Signer {
  private readonly opened = new Map<string, Opened>();

  constructor(private readonly keyring: MasterKeyring) {}

  sign(endpoint: EndpointConfig, message: { id: string; timestamp: number; body: Body; at: Date }): SignResult {
    let material: Opened;
    try {
      material = this.material(endpoint);
    } catch {
      // The reason names no value; which key is wrong is for the operator, via this message.
      return {
        ok: false,
        kind: 'key_unavailable',
        message: 'a secret or private key of the endpoint does not open with HOOKLINE_MASTER_KEY (or HOOKLINE_MASTER_KEY_PREVIOUS)',
      };
    }
    const secrets = activeSecrets(material.secrets, message.at).map((s) => s.secret);
    const schemes: SchemeConfig[] = [];
    for (const scheme of endpoint.signatureSchemes) {
      if (scheme === 'v1' || scheme === 'hookline-v1') {
        if (secrets.length === 0) return { ok: false, kind: 'no_valid_secret', message: 'every secret of the endpoint has expired' };
        schemes.push({ scheme, secrets });
      } else if (scheme === 'ed25519') {
        if (material.ed25519.length === 0) return { ok: false, kind: 'key_unavailable', message: 'the endpoint signs with ed25519 but holds no ed25519 key' };
        schemes.push({ scheme, privateKeys: material.ed25519 });
      } else {
        if (material.rsa.length === 0) return { ok: false, kind: 'key_unavailable', message: 'the endpoint signs with rsa-sha256 but holds no rsa-sha256 key' };
        schemes.push({ scheme, keys: material.rsa });
      }
    }
    const headers = signRequest({ schemes, id: message.id, timestamp: message.timestamp, body: message.body, path: requestPath(endpoint.url) });
    return { ok: true, headers };
  }

  private material(endpoint: EndpointConfig): Opened {
    const cached = this.opened.get(endpoint.id);
    if (cached && cached.version === endpoint.version) return cached;
    const secretContext = sealingContext('endpoint-secret', endpoint.tenantId, endpoint.id);
    const keyContext = sealingContext('signing-key', endpoint.tenantId, endpoint.id);
    const material: Opened = { version: endpoint.version, secrets: [], ed25519: [], rsa: [] };
    for (const s of endpoint.secrets) material.secrets.push({ secret: hmacKeyOf(this.keyring.open(s.secret, secretContext)), expiresAt: s.expiresAt });
    for (const k of endpoint.signingKeys) {
      const privateKey = loadPrivateKey(this.keyring.open(k.privateKey, keyContext));
      if (k.algorithm === 'ed25519') material.ed25519.push(privateKey);
      else material.rsa.push({ keyId: k.keyId, privateKey });
    }
    if (this.opened.size >= CACHE_LIMIT) this.opened.clear();
    this.opened.set(endpoint.id, material);
    return material;
  }
}
