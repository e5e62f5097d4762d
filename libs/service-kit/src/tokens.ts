/** Injection tokens of what CoreModule provides to every service. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const KAFKA = Symbol('KAFKA');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const TOPICS = Symbol('TOPICS');
export const PRODUCER = Symbol('PRODUCER');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
