import { closest } from './nearest-name';
import type { Problem } from './problems';

/**
 * Every prop name of `T` (of each member, for a union) mapped to `'required'`
 * or `true` (optional): a table of them compiles only while it lists each
 * prop, no more and no less, and says rightly which ones are required.
 */
export type PropNames<T> = {
  readonly [K in T extends unknown ? keyof T : never]-?: undefined extends (T extends unknown ? (K extends keyof T ? T[K] : undefined) : never)
    ? true
    : 'required';
};

/** A problem of the names in a props object; `missing` when a required prop is absent (perhaps misspelled). */
export type PropNameProblem = Omit<Problem, 'app' | 'path'> & { readonly missing?: true };

/**
 * A problem for each key of `value` that `names` does not list, and for each
 * required prop it lacks (unless a misspelled key already points to it). The
 * fix of a misspelled key names the closest known prop. A value that is not a
 * plain object (a construct, another class instance) has more than props: it
 * has no problems here.
 */
export function propNameProblems<T extends object>(field: string, value: T | undefined, names: PropNames<T>, owner: string): PropNameProblem[] {
  if (!isPlainObject(value)) {
    return [];
  }
  const given = value as Record<string, unknown>;
  const known = Object.keys(names);
  const missing = new Set(Object.keys(names).filter((key) => (names as Record<string, unknown>)[key] === 'required' && given[key] === undefined));
  const problems: PropNameProblem[] = [];
  // A short list of the known props helps; a long one buries the message.
  const otherwise = known.length <= 10 ? `remove it; the props of ${owner} are ${known.join(', ')}` : `remove it (see ${owner} in the API reference)`;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(names, key)) {
      const near = closest(key, known);
      const fix = near !== undefined ? `did you mean "${near}"?` : otherwise;
      // A misspelled required prop is reported once, as the misspelling.
      const standsForMissing = near !== undefined && missing.delete(near);
      problems.push({ field: `${field}.${key}`, value: given[key], message: `is not a prop of ${owner}`, fix, ...(standsForMissing ? { missing: true } : {}) });
    }
  }
  for (const key of missing) {
    problems.push({ field: `${field}.${key}`, message: `is required by ${owner}`, fix: `give ${key}`, missing: true });
  }
  return problems;
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
