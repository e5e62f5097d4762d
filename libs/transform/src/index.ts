/**
 * @hookline/transform: JSONata transformations of events (a rule action's
 * body), checked when saved (no regular expressions, no `$eval`) and
 * evaluated with a time, depth and output-size bound.
 */
export * from './transform';
