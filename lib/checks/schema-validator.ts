import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import { yamlLibrary } from '../core/yaml-writer';

/** A JSON schema node, as read from the definitions and the CRDs. */
type Schema = { [key: string]: unknown };

/** One schema violation of one object. */
export interface SchemaIssue {
  /** The field at fault, e.g. `spec.template.spec.containers[0].imagePullPolcy`. */
  readonly field: string;
  /** The value found there (undefined for a missing field). */
  readonly value?: unknown;
  /** What is wrong, e.g. `is not a known field`. */
  readonly message: string;
  /** What to do, e.g. `did you mean "imagePullPolicy"?`. */
  readonly fix?: string;
}

/** Where the schemas come from. */
export interface SchemaSources {
  /** The Kubernetes JSON schema definitions (`definitions` keyed `io.k8s.api.apps.v1.Deployment`). */
  readonly kubernetesDefinitions: string;
  /** CustomResourceDefinition YAML files. */
  readonly crdFiles: readonly string[];
}

/** A compiled validation function, as ajv makes them. */
interface ValidateFn {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** What a generated validator module exports besides its functions. */
interface GeneratedModule {
  readonly [exportName: string]: unknown;
  readonly __index: Record<string, string>;
  readonly __hash: string;
}

const BASE = 'https://schemas.cdk8s-homelab.invalid';
const DEFINITIONS_ID = `${BASE}/k8s`;
const OBJECT_META = `${DEFINITIONS_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;
const INT32 = 2 ** 31;
/** Bump when the schema transformation changes, so generated validators are rebuilt. */
const GENERATOR_VERSION = '2';
/** Where the build writes the precompiled validators of the shipped schemas, below the package root. */
export const GENERATED_VALIDATORS = path.join('build', 'validators', 'shipped-schemas.js');

/**
 * Kinds whose validators load with the main precompiled module: what homelab
 * clusters are made of. Validators of the other kinds sit in a second module,
 * loaded only when such an object shows up.
 */
const COMMON_KINDS = new Set([
  'Namespace',
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'ServiceAccount',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'ResourceQuota',
  'LimitRange',
  'IngressRoute',
  'Middleware',
  'HelmChart',
  'HelmChartConfig',
]);

/**
 * Strict validation of manifests against the Kubernetes 1.28 schemas and the
 * `openAPIV3Schema` of our CRDs, the way `kubectl apply --validate=strict` and
 * `kubeconform -strict` reject them: unknown fields, wrong types, missing
 * required fields, bad enum values, and kinds with no schema at all.
 *
 * The build precompiles every validator (ajv standalone code) into two
 * modules, which load in milliseconds; without them (or when the schemas
 * changed since) validators are compiled in process, once per kind.
 */
export class SchemaValidator {
  /** The validator of the schemas shipped with the package (Kubernetes 1.28, Traefik v3, helm-controller). */
  public static shipped(): SchemaValidator {
    if (!SchemaValidator.shippedInstance) {
      const root = packageRoot();
      SchemaValidator.shippedInstance = new SchemaValidator(shippedSources(root), path.join(root, GENERATED_VALIDATORS));
    }
    return SchemaValidator.shippedInstance;
  }
  private static shippedInstance?: SchemaValidator;

  private readonly generated?: GeneratedModule;
  private readonly generatedFile?: string;
  private rare?: GeneratedModule;
  private set?: SchemaSet;
  private compiler?: { compile(schema: Schema): ValidateFn };
  private readonly compiled = new Map<string, ValidateFn>();

  /**
   * @param sources the schemas
   * @param generatedModule a module written by `writeValidatorModule` for these sources; used when
   *   its hash matches the sources, ignored otherwise
   */
  constructor(
    private readonly sources: SchemaSources,
    generatedModule?: string,
  ) {
    if (generatedModule !== undefined && !validatorModuleIsStale(sources, generatedModule)) {
      this.generated = createRequire(__filename)(generatedModule) as GeneratedModule;
      this.generatedFile = generatedModule;
    }
  }

  /** Whether validators come precompiled (true) or are compiled in process (false). */
  public get precompiled(): boolean {
    return this.generated !== undefined;
  }

  /** Whether a schema is known for this apiVersion and kind. */
  public knows(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    return this.generated ? key in this.generated.__index : this.schemaSet().schemas.has(key);
  }

  /** The apiVersions known for a kind, to suggest a fix for a typo. */
  public versionsOf(kind: string): string[] {
    const suffix = `/${kind}`;
    const keys = this.generated ? Object.keys(this.generated.__index) : [...this.schemaSet().schemas.keys()];
    return keys
      .filter((k) => k.endsWith(suffix))
      .map((k) => k.slice(0, -suffix.length))
      .sort();
  }

  /** Every schema violation of one manifest; empty when it is valid. */
  public validate(manifest: unknown): SchemaIssue[] {
    if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
      return [{ field: '(document)', value: manifest, message: 'is not a Kubernetes object', fix: 'write a mapping with apiVersion, kind and metadata' }];
    }
    const { apiVersion, kind } = manifest as { apiVersion?: unknown; kind?: unknown };
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      const field = typeof apiVersion !== 'string' ? 'apiVersion' : 'kind';
      return [{ field, value: field === 'apiVersion' ? apiVersion : kind, message: 'is missing or not a string' }];
    }
    const validate = this.validatorFor(`${apiVersion}/${kind}`);
    if (!validate) {
      const versions = this.versionsOf(kind);
      return [
        {
          field: 'apiVersion/kind',
          value: `${apiVersion}/${kind}`,
          message: 'has no known schema (Kubernetes 1.28 and the shipped CRDs)',
          fix: versions.length > 0 ? `use apiVersion ${versions.join(' or ')}` : "check the kind's spelling, or add its CRD to crds/",
        },
      ];
    }
    if (validate(manifest)) {
      return [];
    }
    const set = this.schemaSet();
    return toIssues(validate.errors ?? [], manifest, set.schemas.get(`${apiVersion}/${kind}`) ?? {}, set);
  }

  private validatorFor(key: string): ValidateFn | undefined {
    if (this.generated) {
      const name = this.generated.__index[key];
      if (name === undefined) {
        return undefined;
      }
      if (name.startsWith('rare.')) {
        if (!this.rare) {
          this.rare = createRequire(__filename)(rareModuleOf(this.generatedFile ?? '')) as GeneratedModule;
        }
        return this.rare[name.slice('rare.'.length)] as ValidateFn;
      }
      return this.generated[name] as ValidateFn;
    }
    let fn = this.compiled.get(key);
    if (!fn) {
      const schema = this.schemaSet().schemas.get(key);
      if (!schema) {
        return undefined;
      }
      if (!this.compiler) {
        this.compiler = newAjv(this.schemaSet(), false);
      }
      fn = this.compiler.compile(schema);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /** The strict schemas, read only when needed (in-process compilation, or explaining an error). */
  private schemaSet(): SchemaSet {
    if (!this.set) {
      this.set = loadSchemaSet(this.sources);
    }
    return this.set;
  }
}

/** The file of the second module, beside the main one. */
function rareModuleOf(mainFile: string): string {
  return mainFile.replace(/\.js$/, '-rare.js');
}

/**
 * Writes the precompiled validators of `sources` (every kind) as CommonJS
 * modules: `outFile` with the common kinds (COMMON_KINDS), and
 * `<outFile>-rare.js` with the others. `npm run build` runs
 * it for the shipped schemas.
 */
export function writeValidatorModule(sources: SchemaSources, outFile: string): void {
  const set = loadSchemaSet(sources);
  const hash = sourcesHash(sources);
  const index: Record<string, string> = {};
  const groups: { file: string; prefix: string; keys: string[] }[] = [
    { file: outFile, prefix: '', keys: [] },
    { file: rareModuleOf(outFile), prefix: 'rare.', keys: [] },
  ];
  for (const key of set.schemas.keys()) {
    groups[COMMON_KINDS.has(key.slice(key.lastIndexOf('/') + 1)) ? 0 : 1].keys.push(key);
  }
  const standaloneCode = createRequire(__filename)('ajv/dist/standalone').default as (a: unknown, refs: Record<string, string>) => string;
  const header = '// Generated by cdk8s-homelab (writeValidatorModule) from the shipped schemas. Do not edit.\n';
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  // The rare module first, so that a complete main module always has its companion.
  for (const group of [...groups].reverse()) {
    const ajv = newAjv(set, true);
    const exportsMap: Record<string, string> = {};
    for (const [i, key] of group.keys.entries()) {
      const id = `${BASE}/gvk/${i}`;
      ajv.addSchema({ ...set.schemas.get(key), $id: id });
      exportsMap[`v${i}`] = id;
      index[key] = `${group.prefix}v${i}`;
    }
    const code = group.keys.length > 0 ? standaloneCode(ajv.raw, exportsMap) : '"use strict";';
    const footer =
      group.prefix === ''
        ? `\nexports.__index = ${JSON.stringify(index)};\nexports.__hash = ${JSON.stringify(hash)};\n`
        : `\nexports.__hash = ${JSON.stringify(hash)};\n`;
    const tmp = `${group.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, header + code + footer);
    fs.renameSync(tmp, group.file);
  }
  fs.writeFileSync(stampsFileOf(outFile), `${sourcesStamps(sources, outFile)}\n${hash}\n`);
}

/**
 * Records the current sizes and mtimes of the sources beside up-to-date
 * modules (after a checkout touched the files, say), so that synth can trust
 * them again without hashing the contents.
 */
export function refreshValidatorStamps(sources: SchemaSources, outFile: string): void {
  fs.writeFileSync(stampsFileOf(outFile), `${sourcesStamps(sources, outFile)}\n${sourcesHash(sources)}\n`);
}

/** The file beside the modules recording the sources' sizes and mtimes, and their hash. */
function stampsFileOf(mainFile: string): string {
  return mainFile.replace(/\.js$/, '.stamps');
}

/** Path (from the modules' folder), size and mtime of each source file, in one line. */
function sourcesStamps(sources: SchemaSources, mainFile: string): string {
  const dir = path.dirname(path.resolve(mainFile));
  return [sources.kubernetesDefinitions, ...sources.crdFiles]
    .map((file) => {
      const stat = fs.statSync(file);
      return `${path.relative(dir, path.resolve(file))}:${stat.size}:${Math.floor(stat.mtimeMs)}`;
    })
    .join('|');
}

/**
 * The hash of the sources: taken from the stamps file when every source
 * still has the size and mtime it had when the modules were generated (as
 * make trusts timestamps), else computed from their contents.
 */
function currentHash(sources: SchemaSources, mainFile: string): string {
  try {
    const [stamps, hash] = fs.readFileSync(stampsFileOf(mainFile), 'utf8').split('\n');
    if (hash && stamps === sourcesStamps(sources, mainFile)) {
      return hash;
    }
  } catch {
    // no stamps: hash the contents
  }
  return sourcesHash(sources);
}

/** Whether the generated modules at `file` are missing or were made from other sources. */
export function validatorModuleIsStale(sources: SchemaSources, file: string): boolean {
  if (!fs.existsSync(file) || !fs.existsSync(rareModuleOf(file))) {
    return true;
  }
  const hash = JSON.stringify(currentHash(sources, file));
  // The hash is on the last line: read only the end of each (large) module.
  const tail = (f: string) => {
    const fd = fs.openSync(f, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.min(size, 256));
      fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  };
  return !tail(file).includes(hash) || !tail(rareModuleOf(file)).includes(hash);
}

/** The shipped schema files below a package root. */
export function shippedSources(root: string = packageRoot()): SchemaSources {
  const crdDir = path.join(root, 'crds');
  return {
    kubernetesDefinitions: path.join(root, 'schemas', 'k8s-1.28.0-definitions.json'),
    crdFiles: fs
      .readdirSync(crdDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => path.join(crdDir, f)),
  };
}

/** The folder holding package.json, schemas/ and crds/, from the source or the compiled file. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'schemas', 'k8s-1.28.0-definitions.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cdk8s-homelab: cannot find schemas/k8s-1.28.0-definitions.json above ${__dirname}; the package is incomplete`);
    }
    dir = parent;
  }
  return dir;
}

function sourcesHash(sources: SchemaSources): string {
  const hash = createHash('sha256').update(`v${GENERATOR_VERSION}\n`);
  for (const file of [sources.kubernetesDefinitions, ...sources.crdFiles]) {
    hash.update(path.basename(file)).update('\n').update(fs.readFileSync(file)).update('\n');
  }
  return hash.digest('hex');
}

/** The strict schemas: the Kubernetes definitions, and one schema per apiVersion/kind. */
interface SchemaSet {
  readonly definitions: Record<string, Schema>;
  readonly schemas: Map<string, Schema>;
}

interface CustomResourceDefinition {
  readonly kind: string;
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: { readonly name: string; readonly served: boolean; readonly schema?: { readonly openAPIV3Schema?: Schema } }[];
  };
}

function loadSchemaSet(sources: SchemaSources): SchemaSet {
  const raw = (JSON.parse(fs.readFileSync(sources.kubernetesDefinitions, 'utf8')) as { definitions: Record<string, Schema> }).definitions;
  const schemas = new Map<string, Schema>();
  const definitions: Record<string, Schema> = {};
  for (const [name, def] of Object.entries(raw)) {
    definitions[name] = strictKubernetes(def) as Schema;
    for (const gvk of (def['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined) ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      schemas.set(`${apiVersion}/${gvk.kind}`, { $ref: `${DEFINITIONS_ID}#/definitions/${name}` });
    }
  }
  const { parseAllDocuments } = yamlLibrary();
  for (const file of sources.crdFiles) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as CustomResourceDefinition | null;
      if (crd?.kind !== 'CustomResourceDefinition') {
        continue;
      }
      for (const version of crd.spec.versions) {
        if (!version.served || !version.schema?.openAPIV3Schema) {
          continue;
        }
        const apiVersion = `${crd.spec.group}/${version.name}`;
        const schema = strictCrd(version.schema.openAPIV3Schema) as Schema;
        const properties = { ...(schema.properties as Record<string, Schema>) };
        properties.apiVersion = { type: 'string', const: apiVersion };
        properties.kind = { type: 'string', const: crd.spec.names.kind };
        properties.metadata = { $ref: OBJECT_META };
        schemas.set(`${apiVersion}/${crd.spec.names.kind}`, {
          ...schema,
          properties,
          required: [...new Set([...((schema.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata'])],
          additionalProperties: false,
        });
      }
    }
  }
  return { definitions, schemas };
}

/** An ajv instance holding the Kubernetes definitions, ready to compile per-kind schemas. */
function newAjv(set: SchemaSet, source: boolean): { compile(schema: Schema): ValidateFn; addSchema(schema: Schema): void; raw: unknown } {
  const AjvClass = (createRequire(__filename)('ajv') as { default: typeof import('ajv').default }).default;
  const ajv = new AjvClass({ allErrors: true, strict: false, validateSchema: false, code: { source, optimize: 1 } });
  ajv.addSchema({ $id: DEFINITIONS_ID, definitions: set.definitions });
  return {
    compile: (schema) => ajv.compile(schema) as ValidateFn,
    addSchema: (schema) => {
      ajv.addSchema(schema);
    },
    raw: ajv,
  };
}

/**
 * The formats of the Kubernetes schemas, spelled as plain keywords so that
 * the validators need no format plugin (and compile to standalone code).
 */
function formatKeywords(format: unknown): Schema {
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
function strictKubernetes(node: unknown): unknown {
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
function strictCrd(node: unknown): unknown {
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
      allOf.push({ pattern: `^${startsWith[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` });
    } else if (notBoth) {
      allOf.push({ not: { required: [notBoth[1], notBoth[2]] } });
    }
  }
  if (allOf.length > 0) {
    out.allOf = [...((out.allOf as Schema[] | undefined) ?? []), ...allOf];
  }
  return out;
}

function mapValues(obj: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = fn(v);
  }
  return out;
}

function pathParts(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/spec/containers/0/name` -> `spec.containers[0].name`. */
function fieldOf(instancePath: string, extra?: string): string {
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

function valueAt(root: unknown, instancePath: string): unknown {
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
function deref(schema: Schema | undefined, set: SchemaSet): Schema | undefined {
  let cur = schema;
  for (let i = 0; cur && typeof cur.$ref === 'string' && i < 20; i++) {
    const name = cur.$ref.split('/definitions/')[1];
    cur = name ? set.definitions[name] : undefined;
  }
  return cur;
}

/** The schema that governs the value at `instancePath`, walking properties, items and $refs. */
function schemaAt(root: Schema, instancePath: string, set: SchemaSet): Schema | undefined {
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
 * The known name to suggest for a misspelled field: one the name ends or
 * starts with (`chartVersion` -> `version`), else the closest by edit distance.
 */
function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const affix = known
    .filter((k) => k.length >= 3 && (lower.endsWith(k.toLowerCase()) || lower.startsWith(k.toLowerCase())))
    .sort((a, b) => b.length - a.length)[0];
  if (affix !== undefined) {
    return affix;
  }
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/**
 * Turns ajv's errors into one issue per real problem: the branches of a
 * failed anyOf/oneOf collapse into the one "must be X or Y" of their parent.
 */
function toIssues(errors: readonly ErrorObject[], manifest: unknown, root: Schema, set: SchemaSet): SchemaIssue[] {
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
    const params = e.params as Record<string, unknown>;
    const value = valueAt(manifest, e.instancePath);
    switch (e.keyword) {
      case 'additionalProperties': {
        const name = String(params.additionalProperty);
        const known = Object.keys((schemaAt(root, e.instancePath, set)?.properties as Schema | undefined) ?? {});
        const guess = closest(name, known);
        push({
          field: fieldOf(e.instancePath, name),
          value: valueAt(manifest, `${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`),
          message: 'is not a known field',
          fix: guess ? `did you mean "${guess}"?` : known.length > 0 ? `remove it (known fields: ${known.join(', ')})` : 'remove it',
        });
        break;
      }
      case 'required':
        push({ field: fieldOf(e.instancePath, String(params.missingProperty)), message: 'is required but missing' });
        break;
      case 'enum':
        push({
          field: fieldOf(e.instancePath),
          value,
          message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'const':
        push({ field: fieldOf(e.instancePath), value, message: `must be ${JSON.stringify(params.allowedValue)}` });
        break;
      case 'anyOf':
      case 'oneOf': {
        const branches = (schemaAt(root, e.instancePath, set)?.[e.keyword] as Schema[] | undefined) ?? [];
        const types = branches.map((s) => s.type).filter((t) => t !== undefined);
        push({ field: fieldOf(e.instancePath), value, message: types.length > 0 ? `must be ${types.join(' or ')}` : 'does not match any allowed form' });
        break;
      }
      case 'type':
        push({ field: fieldOf(e.instancePath), value, message: `must be ${[params.type].flat().join(' or ')}` });
        break;
      case 'minimum':
      case 'maximum':
        push({ field: fieldOf(e.instancePath), value, message: `must be ${e.keyword === 'minimum' ? '>=' : '<='} ${String(params.limit)}` });
        break;
      case 'not':
        push({ field: fieldOf(e.instancePath), value, message: 'sets fields that cannot be combined' });
        break;
      default:
        push({ field: fieldOf(e.instancePath), value, message: e.message ?? `fails ${e.keyword}` });
    }
  }
  return issues;
}
