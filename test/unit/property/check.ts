import { inspect, isDeepStrictEqual } from 'node:util';

// Cheap assertions for the property loops (jest's expect costs ~30 µs a call, which adds up
// over thousands of steps); a failure throws with the values, and fast-check adds the seed.

const show = (v: unknown) => inspect(v, { depth: 6, breakLength: 120 });

export function must(ok: boolean, what: string, context?: unknown): asserts ok {
  if (!ok) throw new Error(context === undefined ? what : `${what}\n${show(context)}`);
}

export function same<T>(actual: T, expected: T, what: string): void {
  if (!isDeepStrictEqual(actual, expected))
    throw new Error(`${what}\n  expected: ${show(expected)}\n  received: ${show(actual)}`);
}
