/**
 * @hookline/conditions: the one condition language of endpoint filters and
 * rule conditions. A condition is a JSON tree a UI can edit (all/any/not
 * groups and comparisons on a path such as `data.customer.tier`), or a raw
 * JSON Logic rule; it runs on json-logic-engine with Hookline's comparisons,
 * patterns on RE2, within fixed bounds, and never becomes JavaScript.
 */
export * from './condition';
export * from './compile';
export * from './evaluate';
export * from './parse';
export * from './paths';
export { RAW_OPERATORS } from './engine';
