import { closest } from './nearest-name';
import type { Problem } from './problems';

/**
 * Every prop name of `T` (of each member, for a union) mapped to the kind of
 * value it takes, with a `?` when it is optional (`'string'`, `'number?'`,
 * `'list?'`...): a table of them compiles only while it lists each prop, no
 * more and no less, with its right kind. Programs in JavaScript, or props
 * spread from objects of another shape, are then checked against it at run
 * time.
 */
export type PropNames<T> = {
  readonly [K in T extends unknown ? keyof T : never]-?: PropKind<T extends unknown ? (K extends keyof T ? T[K] : undefined) : never>;
};

/** The kind of value a prop takes; `?` when it may be left out. */
export type PropKind<V> = undefined extends V ? `${ValueKind<Exclude<V, undefined>> & string}?` : ValueKind<V>;

/**
 * `string`, `number`, `boolean`, `string[]`, `list` (of anything else),
 * `object`, or `any` when it takes values of several kinds (the kind of each
 * member of `V`, then one kind if they all agree).
 */
export type ValueKind<V> = [
  V extends string
    ? 'string'
    : V extends number
      ? 'number'
      : V extends boolean
        ? 'boolean'
        : V extends readonly string[]
          ? 'string[]'
          : V extends readonly unknown[]
            ? 'list'
            : 'object',
] extends [infer K]
  ? [K] extends [(K extends unknown ? (x: K) => void : never) extends (x: infer I) => void ? I : never]
    ? K
    : 'any'
  : never;

/** A problem of the names in a props object; `missing` when a required prop is absent (perhaps misspelled) or of the wrong kind: the construct cannot be built. */
export type PropNameProblem = Omit<Problem, 'app' | 'path'> & { readonly missing?: true };

/**
 * A problem for each key of `value` that `names` does not list, and for each
 * required prop it lacks (unless a misspelled key already points to it). The
 * fix of a misspelled key names the closest known prop. A value that is not a
 * plain object (a construct, another class instance) has more than props: it
 * has no problems here.
 */
export function shapeProblems<T extends object>(field: string, value: T | undefined, names: PropNames<T>, owner: string): PropNameProblem[] {
  if (!isPlainObject(value)) {
    return [];
  }
  const given = value as Record<string, unknown>;
  const table = tableOf(names as Record<string, string>);
  const problems: PropNameProblem[] = [];
  let misspelled: Set<string> | undefined;
  for (const key in given) {
    const v = given[key];
    const kind = table.kinds.get(key);
    if (kind === undefined) {
      const near = closest(key, table.known);
      const fix = near !== undefined ? `did you mean "${near}"?` : removeIt(owner, table.known);
      // A misspelled required prop is reported once, as the misspelling.
      const standsForMissing = near !== undefined && table.required.includes(near) && given[near] === undefined;
      if (standsForMissing) {
        misspelled ??= new Set();
        misspelled.add(near);
      }
      problems.push({ field: `${field}.${key}`, value: v, message: `is not a prop of ${owner}`, fix, ...(standsForMissing ? { missing: true } : {}) });
    } else if (v !== undefined && !isOfKind(kind, v)) {
      const [name, fix] = KINDS[kind] ?? [kind, ''];
      problems.push({ field: `${field}.${key}`, value: v, message: `must be ${name}`, fix, missing: true });
    }
  }
  for (const key of table.required) {
    if (given[key] === undefined && !misspelled?.has(key)) {
      problems.push({ field: `${field}.${key}`, message: `is required by ${owner}`, fix: `give ${key}`, missing: true });
    }
  }
  return problems;
}

/** A table of prop names read once: the kind of each prop (without its `?`), and the required ones. */
interface ReadTable {
  readonly known: readonly string[];
  readonly kinds: ReadonlyMap<string, string>;
  readonly required: readonly string[];
}
const readTables = new WeakMap<object, ReadTable>();

/** The table read once per table object: every construct of every app checks its props against it. */
function tableOf(names: Record<string, string>): ReadTable {
  let read = readTables.get(names);
  if (read === undefined) {
    const known = Object.keys(names);
    read = {
      known,
      kinds: new Map(known.map((k) => [k, names[k].replace(/\?$/, '')])),
      required: known.filter((k) => !names[k].endsWith('?')),
    };
    readTables.set(names, read);
  }
  return read;
}

/** The fix of a prop with no known name near it: a short list of the known ones helps; a long one buries the message. */
function removeIt(owner: string, known: readonly string[]): string {
  return known.length <= 10 ? `remove it; the props of ${owner} are ${known.join(', ')}` : `remove it (see ${owner} in the API reference)`;
}

/** Each kind of value, as a problem names it, and how to write one. */
const KINDS: Readonly<Record<string, readonly [string, string]>> = {
  string: ['a string', 'write it as text in quotes'],
  number: ['a number', 'write it as a number, without quotes'],
  boolean: ['true or false', 'write true or false, without quotes'],
  'string[]': ['a list of strings', 'write it as a list, e.g. ["a", "b"]'],
  list: ['a list', 'write it as a list: [ ... ]'],
  object: ['an object', 'write it as an object { ... } (or make it with its factory, e.g. Probe.http or Schedule.cron)'],
};

function isOfKind(kind: string, value: unknown): boolean {
  switch (kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === kind;
    case 'string[]':
      return Array.isArray(value) && value.every((x) => typeof x === 'string');
    case 'list':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The table of the prop names of `Omit<T, K>`: `names` without `omit`. */
export function omitProps<T, K extends keyof T>(names: PropNames<T>, ...omit: K[]): PropNames<Omit<T, K>> {
  const kept: Record<string, unknown> = { ...names };
  for (const key of omit) {
    delete kept[key as string];
  }
  return kept as PropNames<Omit<T, K>>;
}

/** The props of `props` that `names` lists (e.g. the workload props of a larger set of props). */
export function pickProps<T extends object>(props: T, names: PropNames<T>): T {
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (Object.hasOwn(names, key)) {
      picked[key] = value;
    }
  }
  return picked as T;
}
