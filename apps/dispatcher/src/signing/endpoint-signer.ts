import type { EndpointConfig } from '@hookline/contracts';
import type { MasterKeyring } from '@hookline/encryption';
import { KEY_UNAVAILABLE_MESSAGE, openKeyMaterial, signingSchemes, type KeyMaterial, type SigningSchemes } from '@hookline/signing';
import type { Signer } from '../deliver-attempt/deliver-attempt.usecase';

// Opened material by endpoint id; an endpoint's entry is replaced when its version changes.
const CACHE_LIMIT = 50_000;

/**
 * The signature schemes of an attempt, with an endpoint's key material.
 * Secrets and private keys arrive sealed on the endpoints topic; they are
 * opened with the master key once per endpoint version and kept in memory,
 * never written anywhere.
 */
export class EndpointSigner implements Signer {
  private readonly opened = new Map<string, { version: number; material: KeyMaterial }>();

  constructor(private readonly keyring: MasterKeyring) {}

  schemes(endpoint: EndpointConfig, at: Date): SigningSchemes {
    let material: KeyMaterial;
    try {
      material = this.material(endpoint);
    } catch {
      return { ok: false, kind: 'key_unavailable', message: KEY_UNAVAILABLE_MESSAGE };
    }
    return signingSchemes(endpoint, material, at);
  }

  private material(endpoint: EndpointConfig): KeyMaterial {
    const cached = this.opened.get(endpoint.id);
    if (cached && cached.version === endpoint.version) return cached.material;
    const material = openKeyMaterial(endpoint, this.keyring);
    if (this.opened.size >= CACHE_LIMIT) this.opened.clear();
    this.opened.set(endpoint.id, { version: endpoint.version, material });
    return material;
  }
}
