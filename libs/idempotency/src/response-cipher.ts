/**
 * Seals stored response bodies. admin-api's create and rotate responses carry
 * endpoint secrets, and a database dump must hold no plaintext secret, so a
 * service that stores such responses passes a cipher (the master keyring of
 * `@hookline/encryption`). `context` (scope and key) is bound as associated
 * data: a body copied to another row does not open.
 */
export interface ResponseCipher {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}
