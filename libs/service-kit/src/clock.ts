/** The wall clock, for the `Clock` port use cases declare (`{ now(): Date }`); tests bring a fixed one. */
export const systemClock = { now: (): Date => new Date() };
