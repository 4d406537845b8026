import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '../core/manifest';
import { asObj } from '../core/manifest-fields';
import { environmentOfFile, isKeptFile } from '../core/output-layers';
import { KEEP_ON_PRUNE_ANNOTATIONS } from '../core/prune-protection';
import { yamlLibrary } from '../core/yaml-writer';

/** The manifests of a folder of synthesized YAML, by path relative to it (`prod/gazette.k8s.yaml`). */
export type ManifestTree = ReadonlyMap<string, readonly Manifest[]>;

/** One object of a plan: its kind, namespace and name, and its environment. */
export interface PlannedObject {
  /** The environment (the folder of its file under dist/, past a layer folder such as apps/), or '' for a single one. */
  readonly environment: string;
  /** `<kind>` with its API group, e.g. `Deployment.apps`. */
  readonly kind: string;
  /** Its namespace ('' when cluster-scoped). */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
}

/** One changed field of an object. */
export interface FieldChange {
  /** The field path, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** The value before (undefined when the field is new). */
  readonly before?: unknown;
  /** The value after (undefined when the field is gone). */
  readonly after?: unknown;
  /** Whether the values are withheld (a Secret's data). */
  readonly hidden?: boolean;
}

/** An object that changes, and how. */
export interface ChangedObject extends PlannedObject {
  /** Its changed fields, in path order. */
  readonly changes: readonly FieldChange[];
}

/** What applying a synth would change, object by object. */
export interface Plan {
  /** Objects the synth adds. */
  readonly added: readonly PlannedObject[];
  /** Objects the synth no longer has (pruning deletes them). */
  readonly removed: readonly PlannedObject[];
  /** Objects that change. */
  readonly changed: readonly ChangedObject[];
  /** The removed objects whose deletion loses data: Namespaces (everything in them) and PersistentVolumeClaims. */
  readonly dataLoss: readonly PlannedObject[];
  /**
   * The removed Namespaces and PersistentVolumeClaims that pruning keeps
   * (the GitOps tool's keep annotation, see GitOpsSync, or a place in kept/,
   * which kubectl applies without pruning, see HomelabApp applySet): gone
   * from Git, their data stays in the cluster.
   */
  readonly kept: readonly PlannedObject[];
}

/** Kinds whose removal deletes data. */
const DATA_KINDS = new Set(['Namespace', 'PersistentVolumeClaim']);

/** Every manifest of the YAML files under `dir` (none when it does not exist). */
export function readManifestFolder(dir: string): ManifestTree {
  const out = new Map<string, Manifest[]>();
  if (!fs.existsSync(dir)) {
    return out;
  }
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f) && fs.statSync(path.join(dir, f)).isFile())
    .sort();
  for (const file of files) {
    out.set(file.split(path.sep).join('/'), parseManifests(fs.readFileSync(path.join(dir, file), 'utf8'), file));
  }
  return out;
}

/** Every manifest of the YAML files under `dir` of the Git revision `ref` (run in the repository). */
export function readManifestsAtRef(ref: string, dir: string, cwd = '.'): ManifestTree {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  const out = new Map<string, Manifest[]>();
  const files = git('ls-tree', '-r', '--name-only', ref, '--', prefix)
    .split('\n')
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  for (const file of files) {
    out.set(file.slice(prefix.length), parseManifests(git('show', `${ref}:${file}`), `${ref}:${file}`));
  }
  return out;
}

/** The objects of a multi-document YAML text (empty documents skipped). */
function parseManifests(text: string, file: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const doc of yamlLibrary().parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`);
    }
    const value = doc.toJS() as unknown;
    if (value !== null && typeof value === 'object' && typeof (value as Manifest).kind === 'string') {
      manifests.push(value as Manifest);
    }
  }
  return manifests;
}

/** Each object of a tree by its identity (environment, group and kind, namespace, name). */
function objectsOf(tree: ManifestTree): Map<string, { ref: PlannedObject; manifest: Manifest; apart: boolean }> {
  const out = new Map<string, { ref: PlannedObject; manifest: Manifest; apart: boolean }>();
  for (const [file, manifests] of tree) {
    const environment = environmentOfFile(file);
    // kept/ (HomelabApp applySet) is applied without pruning: what leaves it stays in the cluster.
    const apart = isKeptFile(file);
    for (const m of manifests) {
      const group = m.apiVersion.includes('/') ? m.apiVersion.slice(0, m.apiVersion.indexOf('/')) : '';
      const ref = { environment, kind: group ? `${m.kind}.${group}` : m.kind, namespace: String(m.metadata.namespace ?? ''), name: String(m.metadata.name) };
      out.set(`${ref.environment}|${ref.kind}|${ref.namespace}|${ref.name}`, { ref, manifest: m, apart });
    }
  }
  return out;
}

/** What turning `before` into `after` changes, object by object. */
export function planChanges(before: ManifestTree, after: ManifestTree): Plan {
  const old = objectsOf(before);
  const now = objectsOf(after);
  const added: PlannedObject[] = [];
  const changed: ChangedObject[] = [];
  for (const [key, { ref, manifest }] of now) {
    const was = old.get(key);
    if (was === undefined) {
      added.push(ref);
      continue;
    }
    const changes = diffValues(was.manifest, manifest, '', isSecret(manifest));
    if (changes.length > 0) {
      changed.push({ ...ref, changes });
    }
  }
  const gone = [...old].filter(([key]) => !now.has(key)).map(([, o]) => o);
  const data = gone.filter((o) => DATA_KINDS.has(o.ref.kind));
  return {
    added: added.sort(byRef),
    removed: gone.map((o) => o.ref).sort(byRef),
    changed: changed.sort(byRef),
    dataLoss: data
      .filter((o) => !o.apart && !keptOnPrune(o.manifest))
      .map((o) => o.ref)
      .sort(byRef),
    kept: data
      .filter((o) => o.apart || keptOnPrune(o.manifest))
      .map((o) => o.ref)
      .sort(byRef),
  };
}

/** Whether a GitOps tool keeps the object when it prunes (its keep annotation). */
function keptOnPrune(m: Manifest): boolean {
  const annotations = asObj(m.metadata.annotations);
  return Object.values(KEEP_ON_PRUNE_ANNOTATIONS).some((keep) => Object.entries(keep).every(([k, v]) => annotations[k] === v));
}

/** Whether a manifest holds secret values (a Secret: its data are never shown). */
function isSecret(m: Manifest): boolean {
  return m.kind === 'Secret' && !m.apiVersion.includes('/');
}

/** Plan objects in a stable order: environment, namespace, kind, name. */
function byRef(a: PlannedObject, b: PlannedObject): number {
  const key = (r: PlannedObject) => [r.environment, r.namespace, r.kind, r.name].join('\u0000');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** The changed leaves between two values, as field paths (lists by index, keys with dots or slashes quoted in brackets). */
function diffValues(before: unknown, after: unknown, at: string, secret: boolean): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) {
    return [];
  }
  const hide = secret && /^(data|stringData)\b/.test(at);
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = Array.isArray(before)
      ? [...Array(Math.max(before.length, (after as unknown[]).length)).keys()].map(String)
      : [...new Set([...Object.keys(before), ...Object.keys(asObj(after))])].sort();
    return keys.flatMap((k) => {
      // A key with dots or slashes (a label, an annotation) in brackets, so the path reads unambiguously.
      const sub = Array.isArray(before) ? `${at}[${k}]` : !/^[\w-]+$/.test(k) ? `${at}[${JSON.stringify(k)}]` : at ? `${at}.${k}` : k;
      return diffValues((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], sub, secret);
    });
  }
  return [hide ? { path: at, hidden: true } : { path: at, before, after }];
}

/** Whether a value is an object or a list (walked into), not a leaf. */
function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === 'object';
}

/** Whether a plan changes nothing. */
export function isEmptyPlan(plan: Plan): boolean {
  return plan.added.length === 0 && plan.removed.length === 0 && plan.changed.length === 0;
}

/** The plan's one-line summary. */
export function planSummary(plan: Plan): string {
  if (isEmptyPlan(plan)) {
    return 'no changes';
  }
  const loss = plan.dataLoss.length > 0 ? `, ${plan.dataLoss.length} removal(s) that delete data` : '';
  const kept = plan.kept.length > 0 ? `, ${plan.kept.length} kept when pruning` : '';
  return `${plan.added.length} to add, ${plan.changed.length} to change, ${plan.removed.length} to remove${loss}${kept}`;
}
