import { escapeRegExp } from '../../core/value-rules';
import type { Schema } from './schema-types';

export const INT32 = 2 ** 31;

/**
 * The formats of the Kubernetes schemas, spelled as plain keywords so that
 * the validators need no format plugin (and compile to standalone code).
 */
export function formatKeywords(format: unknown): Schema {
  switch (format) {
    case 'int32':
      return { minimum: -INT32, maximum: INT32 - 1 };
    case 'byte':
      return { pattern: '^[A-Za-z0-9+/]*={0,2}$' };
    case 'date-time':
      return { pattern: '^\\d{4}-\\d\\d-\\d\\d[Tt]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?([Zz]|[+-]\\d\\d:\\d\\d)$' };
    default:
      return {};
  }
}

/**
 * Closes every Kubernetes object schema that lists its properties, as
 * kubeconform's strict schemas do; drops descriptions and vendor keys.
 */
export function strictKubernetes(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(strictKubernetes);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === 'description' || key.startsWith('x-kubernetes-') || key === 'format') {
      continue;
    }
    out[key] = key === 'properties' ? mapValues(value as Record<string, unknown>, strictKubernetes) : strictKubernetes(value);
  }
  Object.assign(out, formatKeywords((node as Schema).format));
  if (out.properties !== undefined && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Turns a structural CRD schema into what the API server enforces in strict
 * mode: objects are closed unless they preserve unknown fields,
 * int-or-string and nullable are spelled in JSON schema, and the simple CEL
 * rules of our CRDs become schema keywords (transition rules, which only
 * apply to updates, are skipped).
 */
export function strictCrd(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(strictCrd);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const src = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'description' || key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'default' || key === 'format') {
      continue;
    }
    if (key === 'pattern') {
      const pattern = typeof value === 'string' ? ecmaPattern(value) : undefined;
      if (pattern !== undefined) {
        out.pattern = pattern;
      }
      continue;
    }
    out[key] = key === 'properties' ? mapValues(value as Record<string, unknown>, strictCrd) : strictCrd(value);
  }
  Object.assign(out, formatKeywords(src.format));
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const preserve = src['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.type === 'object' && !preserve && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (src.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  const rules = (src['x-kubernetes-validations'] as { rule: string; message?: string }[] | undefined) ?? [];
  const allOf: Schema[] = [];
  for (const { rule } of rules) {
    const startsWith = /^self\.startsWith\('([^']*)'\)$/.exec(rule);
    const notBoth = /^!has\(self\.(\w+)\) \|\| !has\(self\.(\w+)\)$/.exec(rule);
    if (startsWith) {
      allOf.push({ pattern: `^${escapeRegExp(startsWith[1])}` });
    } else if (notBoth) {
      allOf.push({ not: { required: [notBoth[1], notBoth[2]] } });
    }
  }
  if (allOf.length > 0) {
    out.allOf = [...((out.allOf as Schema[] | undefined) ?? []), ...allOf];
  }
  return out;
}

/**
 * A CRD pattern as a JavaScript regular expression. The API server matches
 * patterns with Go's RE2, which JavaScript mostly shares; a `(?i)` flag
 * (case-insensitive from there on) becomes a class of both cases for each
 * letter. A pattern
 * JavaScript still cannot read is left out (undefined): the field then goes
 * unchecked rather than wrongly refused.
 */
export function ecmaPattern(pattern: string): string | undefined {
  let p = pattern;
  const flag = p.indexOf('(?i)');
  if (flag >= 0) {
    // Go applies the flag from where it stands to the end of the pattern.
    p = p.slice(0, flag) + caseless(p.slice(flag + 4));
  }
  try {
    new RegExp(p, 'u');
    return p;
  } catch {
    return undefined;
  }
}

/** Each letter outside an escape or a class as `[xX]`; inside a class, both cases. */
function caseless(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      out += /[a-z]/i.test(c) ? c.toLowerCase() + c.toUpperCase() : c;
      inClass = c !== ']';
    } else if (c === '[') {
      out += c;
      inClass = true;
    } else {
      out += /[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    }
  }
  return out;
}

export function mapValues(obj: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = fn(v);
  }
  return out;
}
