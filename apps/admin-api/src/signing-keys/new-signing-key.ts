import { KEY_PAIR_ALGORITHMS, type KeyPairAlgorithm, type SignatureScheme } from '@hookline/contracts';
import { generateEd25519KeyPair, generateRsaKeyPairAsync, type RsaModulusLength } from '@hookline/signing';
import type { StoredSigningKey } from '../endpoints/endpoint.entity';
import type { Owner, SecretSealing } from '../endpoints/endpoint.ports';

/** A fresh key pair for an endpoint, its private half sealed before it is stored anywhere. */
export async function newSigningKey(
  sealing: Pick<SecretSealing, 'sealPrivateKey'>,
  owner: Owner,
  algorithm: KeyPairAlgorithm,
  modulusLength?: RsaModulusLength,
): Promise<StoredSigningKey> {
  const pair = algorithm === 'ed25519' ? generateEd25519KeyPair() : await generateRsaKeyPairAsync({ modulusLength });
  return {
    keyId: pair.keyId,
    algorithm,
    publicKey: pair.publicKey,
    privateKey: sealing.sealPrivateKey(owner, pair.privateKey),
    createdAt: new Date().toISOString(),
  };
}

/** Adds a key for every key-pair scheme the endpoint signs with but holds no key for. */
export async function addMissingSigningKeys(
  sealing: Pick<SecretSealing, 'sealPrivateKey'>,
  endpoint: Owner & { signatureSchemes: readonly SignatureScheme[]; signingKeys: StoredSigningKey[] },
): Promise<void> {
  for (const algorithm of KEY_PAIR_ALGORITHMS) {
    if (endpoint.signatureSchemes.includes(algorithm) && !endpoint.signingKeys.some((k) => k.algorithm === algorithm)) {
      endpoint.signingKeys.push(await newSigningKey(sealing, endpoint, algorithm));
    }
  }
}
