export { WebhookVerificationError, type VerificationErrorCode } from './errors';
export { HEADERS, type HeaderBag } from './headers';
export { keyIdOf, loadPublicKey, loadSecret, type PublicKeyConfig, type TrustedKey } from './keys';
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
export { KEY_ID_PATTERN, MAX_ASYMMETRIC_SIGNATURES, NONCE_PATTERN, PUBLIC_KEY_PREFIX, SECRET_PREFIX } from './wire';
