/**
 * Shapes of plain JSON messages, each declared once: it gives the type (`Infer<typeof shape>`)
 * and a check that names every bad field. The daemon ↔ supervisor channel uses these instead of
 * zod/mini, which cost every supervisor ~6 ms of start-up. `safeParse` answers as zod does, so
 * `describeIssues` words the failures of both alike.
 */
import type { ParseIssues } from '../contract/issues.js';

type Issue = { path: PropertyKey[]; message: string };
type Test = (value: unknown, path: readonly PropertyKey[], issues: Issue[]) => void;
export type ParseResult<T> = { success: true; data: T } | { success: false; error: ParseIssues };

export interface Shape<T> {
  /** Pushes one issue for each bad field of `value`, found at `path`. */
  readonly test: Test;
  /** `value` itself, typed, when it has the shape (it is not copied: extra keys stay). */
  safeParse(value: unknown): ParseResult<T>;
  /** Never set: it carries the type. */
  readonly type?: T;
}
export type Infer<S> = S extends Shape<infer T> ? T : never;

function make<T>(test: Test): Shape<T> {
  return {
    test,
    safeParse(value) {
      const issues: Issue[] = [];
      test(value, [], issues);
      return issues.length ? { success: false, error: { issues } } : { success: true, data: value as T };
    },
  };
}

// A number is shown, anything else only by its type: a bad field may hold what must not be logged.
function got(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'number' ? String(value) : typeof value;
}

function is<T>(ok: (value: unknown) => boolean, expected: string): Shape<T> {
  return make<T>((value, path, issues) => {
    if (!ok(value)) issues.push({ path: [...path], message: `expected ${expected}, got ${got(value)}` });
  });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const string = is<string>((v) => typeof v === 'string', 'a string');
export const boolean = is<boolean>((v) => typeof v === 'boolean', 'a boolean');
export const number = is<number>(isNumber, 'a number');
export const positive = is<number>((v) => isNumber(v) && v > 0, 'a positive number');
export const unknown = make<unknown>(() => undefined);

/** A safe integer, at least `min`. */
export function int(min = Number.MIN_SAFE_INTEGER): Shape<number> {
  return is<number>((v) => Number.isSafeInteger(v) && (v as number) >= min, min > Number.MIN_SAFE_INTEGER ? `an integer ≥ ${min}` : 'an integer');
}

export function oneOf<const T extends readonly string[]>(...values: T): Shape<T[number]> {
  return is<T[number]>((v) => values.includes(v as string), `one of ${values.join(', ')}`);
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return make((value, path, issues) => value === null || shape.test(value, path, issues));
}

/** A key an object may lack. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> & { readonly optional: true } {
  return { ...make<T | undefined>((value, path, issues) => value === undefined || shape.test(value, path, issues)), optional: true };
}

export function array<T>(item: Shape<T>, minLength = 0): Shape<T[]> {
  return make((value, path, issues) => {
    if (!Array.isArray(value)) return void issues.push({ path: [...path], message: `expected an array, got ${got(value)}` });
    if (value.length < minLength) issues.push({ path: [...path], message: `expected at least ${minLength} item(s)` });
    value.forEach((v, i) => item.test(v, [...path, i], issues));
  });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function record<T>(values: Shape<T>): Shape<Record<string, T>> {
  return make((value, path, issues) => {
    if (!isPlainObject(value)) return void issues.push({ path: [...path], message: `expected an object, got ${got(value)}` });
    for (const [key, v] of Object.entries(value)) values.test(v, [...path, key], issues);
  });
}

type Props = Record<string, Shape<unknown>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};
type OptionalKeys<P> = { [K in keyof P]: P[K] extends { readonly optional: true } ? K : never }[keyof P];
type ObjectOf<P extends Props> = Flat<{ [K in Exclude<keyof P, OptionalKeys<P>>]: Infer<P[K]> } & { [K in OptionalKeys<P>]?: Infer<P[K]> }>;

export function object<P extends Props>(props: P): Shape<ObjectOf<P>> {
  return make((value, path, issues) => {
    if (!isPlainObject(value)) return void issues.push({ path: [...path], message: `expected an object, got ${got(value)}` });
    for (const [key, shape] of Object.entries(props)) shape.test(value[key], [...path, key], issues);
  });
}

type Variants = Record<string, Props>;
type Tagged<K extends string, V extends Variants> = { [T in Extract<keyof V, string>]: Flat<{ [_ in K]: T } & ObjectOf<V[T]>> }[Extract<keyof V, string>];

/** A discriminated union: `key` names the variant (`{ type: 'ping', seq }`), whose props follow. */
export function tagged<K extends string, V extends Variants>(key: K, variants: V): Shape<Tagged<K, V>> {
  const shapes = new Map(Object.entries(variants).map(([tag, props]) => [tag, object(props)]));
  return make((value, path, issues) => {
    if (!isPlainObject(value)) return void issues.push({ path: [...path], message: `expected an object, got ${got(value)}` });
    const shape = shapes.get(value[key] as string);
    if (!shape) return void issues.push({ path: [...path, key], message: `expected one of ${[...shapes.keys()].join(', ')}` });
    shape.test(value, path, issues);
  });
}
