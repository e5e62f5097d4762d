/** A source of uniform random numbers in [0, 1): `Math.random` in production, a fixed or scripted one in tests. */
export type Random = () => number;
