import type { ErrorObject } from 'ajv';
import { closest } from '../../core/nearest-name';
import type { Schema, SchemaIssue, SchemaSet } from './schema-types';

export function pathParts(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/spec/containers/0/name` -> `spec.containers[0].name`. */
export function fieldOf(instancePath: string, extra?: string): string {
  const parts = pathParts(instancePath);
  if (extra !== undefined) {
    parts.push(extra);
  }
  let out = '';
  for (const p of parts) {
    if (/^\d+$/.test(p)) {
      out += `[${p}]`;
    } else if (/^[A-Za-z_$][\w$]*$/.test(p)) {
      out += out ? `.${p}` : p;
    } else {
      out += `[${JSON.stringify(p)}]`;
    }
  }
  return out || '(object)';
}

export function valueAt(root: unknown, instancePath: string): unknown {
  let cur = root;
  for (const p of pathParts(instancePath)) {
    if (cur === null || typeof cur !== 'object') {
      return undefined;
    }
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Follows `$ref`s (to the Kubernetes definitions) until a schema with content. */
export function deref(schema: Schema | undefined, set: SchemaSet): Schema | undefined {
  let cur = schema;
  for (let i = 0; cur && typeof cur.$ref === 'string' && i < 20; i++) {
    const name = cur.$ref.split('/definitions/')[1];
    cur = name ? set.definitions[name] : undefined;
  }
  return cur;
}

/** The schema that governs the value at `instancePath`, walking properties, items and $refs. */
export function schemaAt(root: Schema, instancePath: string, set: SchemaSet): Schema | undefined {
  let cur = deref(root, set);
  for (const p of pathParts(instancePath)) {
    if (!cur) {
      return undefined;
    }
    const props = cur.properties as Record<string, Schema> | undefined;
    if (props && p in props) {
      cur = deref(props[p], set);
    } else if (/^\d+$/.test(p) && cur.items && typeof cur.items === 'object') {
      cur = deref(cur.items as Schema, set);
    } else if (cur.additionalProperties && typeof cur.additionalProperties === 'object') {
      cur = deref(cur.additionalProperties as Schema, set);
    } else {
      return undefined;
    }
  }
  return cur;
}

/**
 * Turns ajv's errors into one issue per real problem: the branches of a
 * failed anyOf/oneOf collapse into the one "must be X or Y" of their parent.
 */
/** How to write a value of each JSON type, for the fix of a wrong type. */
const TYPE_FIXES: Readonly<Record<string, string>> = {
  string: 'write it as text in quotes',
  integer: 'write a whole number, without quotes',
  number: 'write a number, without quotes',
  boolean: 'write true or false, without quotes',
  array: 'write a list',
  object: 'write a mapping of fields',
};

/** The issue one ajv error stands for, in our words. */
function issueOf(e: ErrorObject, manifest: unknown, root: Schema, set: SchemaSet): SchemaIssue {
  const params = e.params as Record<string, unknown>;
  const value = valueAt(manifest, e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys((schemaAt(root, e.instancePath, set)?.properties as Schema | undefined) ?? {});
      const guess = closest(name, known);
      return {
        field: fieldOf(e.instancePath, name),
        value: valueAt(manifest, `${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`),
        message: 'is not a known field',
        fix: guess ? `did you mean "${guess}"?` : known.length > 0 ? `remove it (known fields: ${known.join(', ')})` : 'remove it',
      };
    }
    case 'required':
      return {
        field: fieldOf(e.instancePath, String(params.missingProperty)),
        message: 'is required but missing',
        fix: `give ${String(params.missingProperty)}`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const near = typeof value === 'string' ? closest(value, (params.allowedValues as unknown[]).map(String)) : undefined;
      return {
        field: fieldOf(e.instancePath),
        value,
        message: `must be one of ${allowed.join(', ')}`,
        fix: near !== undefined ? `did you mean "${near}"?` : undefined,
      };
    }
    case 'const':
      return { field: fieldOf(e.instancePath), value, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'anyOf':
    case 'oneOf': {
      const branches = (schemaAt(root, e.instancePath, set)?.[e.keyword] as Schema[] | undefined) ?? [];
      const types = branches.map((s) => s.type).filter((t) => t !== undefined);
      return { field: fieldOf(e.instancePath), value, message: types.length > 0 ? `must be ${types.join(' or ')}` : 'does not match any allowed form' };
    }
    case 'type': {
      const types = [params.type].flat().map(String);
      return { field: fieldOf(e.instancePath), value, message: `must be ${types.join(' or ')}`, fix: TYPE_FIXES[types[0]] };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const prefix = /^\^([^\\^$.*+?()[\]{}|]+)$/.exec(pattern)?.[1];
      const fix = prefix !== undefined ? `start it with "${prefix}"` : 'write a value of the form the pattern describes (see the reference of the field)';
      return { field: fieldOf(e.instancePath), value, message: `must match pattern "${pattern}"`, fix };
    }
    case 'minimum':
    case 'maximum':
      return { field: fieldOf(e.instancePath), value, message: `must be ${e.keyword === 'minimum' ? '>=' : '<='} ${String(params.limit)}` };
    case 'not':
      return { field: fieldOf(e.instancePath), value, message: 'sets fields that cannot be combined' };
    default:
      return { field: fieldOf(e.instancePath), value, message: e.message ?? `fails ${e.keyword}` };
  }
}

export function toIssues(errors: readonly ErrorObject[], manifest: unknown, root: Schema, set: SchemaSet): SchemaIssue[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: SchemaIssue) => {
    const key = `${issue.field}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  };
  for (const e of errors) {
    const insideUnion = unions.some((u) => u !== e && e.instancePath === u.instancePath && e.schemaPath.startsWith(`${u.schemaPath}/`));
    if (insideUnion) {
      continue;
    }
    push(issueOf(e, manifest, root, set));
  }
  return issues;
}
