export const RETRY_CONFIG = Symbol('RETRY_CONFIG');
