/**
 * A store is a set of ports (DESIGN §7.1): each port is the method set of a SQLite store class, and the PostgreSQL
 * store implements the same methods returning promises. Callers `await` every read, which costs the synchronous
 * SQLite store nothing and lets one caller serve both stores.
 */
export type { Awaitable } from '../engine/ports.js';
import type { Awaitable } from '../engine/ports.js';

type AnyFn = (...args: never[]) => unknown;

/** The public methods of T, each returning its result or a promise of it. */
export type Port<T> = {
  [K in keyof T as T[K] extends AnyFn ? K : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Awaitable<Awaited<R>> : never;
};
