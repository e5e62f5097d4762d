/**
 * @hookline/catalog: the event catalog's shared parts. The built-in event
 * types (schema of `data` and an example each), and validating `data` against
 * a type's JSON Schema (2020-12, Ajv, patterns in linear time), compiled once
 * per schema version.
 */
export * from './builtin';
export * from './schema/json-schema';
export * from './schema/schema-validators';
