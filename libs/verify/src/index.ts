export { WebhookVerificationError, type VerificationErrorCode } from './errors';
export { HEADERS, type HeaderBag } from './headers';
export { keyIdOf, loadPublicKey, type PublicKeyConfig, type TrustedKey } from './keys';
export { DEFAULT_MAX_NONCES, MemoryNonceStore, type MemoryNonceStoreOptions, type NonceStore } from './nonce-store';
export {
  createWebhookVerifier,
  DEFAULT_TOLERANCE_SECONDS,
  verifyWebhook,
  type Scheme,
  type VerifiedWebhook,
  type VerifierOptions,
  type WebhookRequest,
  type WebhookVerifier,
} from './verifier';
