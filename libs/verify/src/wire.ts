/**
 * Protocol rules both sides must agree on. Hookline's signer imports them from
 * here, so a sender and this receiver library cannot drift apart.
 */

/** Prefix of a signing secret (`whsec_` + base64 key), as Standard Webhooks writes it. */
export const SECRET_PREFIX = 'whsec_';
/** Prefix of an Ed25519 public key (`whpk_` + base64 of the raw 32 bytes). */
export const PUBLIC_KEY_PREFIX = 'whpk_';
/** An `x-hookline-nonce`: base64url, 16–128 characters (no `.`, which separates the signed fields). */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** An `x-hookline-key-id` entry: base64url, 1–128 characters. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/**
 * Asymmetric checks cost 0.05–0.2 ms each; a rotation needs two signatures, so
 * a header listing dozens is an attempt to make the receiver burn CPU.
 */
export const MAX_ASYMMETRIC_SIGNATURES = 8;
