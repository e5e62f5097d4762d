export * from './delivery-request';
export * from './ed25519';
export * from './hookline-v1';
export {
  hmacKeyOf,
  keyIdOf,
  loadPrivateKey,
  publicKeyForms,
  PUBLIC_KEY_PREFIX,
  SECRET_KEY_PREFIX,
  type HmacSecret,
  type PrivateKeyInput,
  type PublicKeyInput,
} from './keys';
export * from './key-material';
export * from './rsa-sha256';
export * from './sign-request';
export type { Body } from './signed-content';
export * from './standard-webhooks';
