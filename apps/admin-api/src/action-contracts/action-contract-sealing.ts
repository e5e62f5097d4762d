import type { TenantId } from '@hookline/contracts';

/** Seals and opens values under the master key; `MasterKeyring` (libs/encryption) is one. */
export interface Keyring {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

/**
 * The associated data a contract's signing secret is sealed with: purpose,
 * tenant and contract, so a sealed secret copied to another row does not open.
 */
export function contractSecretContext(tenantId: TenantId, contractId: string): string {
  return JSON.stringify(['hookline.action-contract-secret.v1', tenantId, contractId]);
}
