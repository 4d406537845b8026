import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ClusterCheck, type ClusterContext, resolveClusterContext } from '../core/cluster-check';
import type { KubernetesVersion } from '../core/kubernetes-version';
import type { Manifest, SynthesizedObject } from '../core/manifest';
import { environmentOfFile } from '../core/output-layers';
import type { Problem } from '../core/problems';
import { yamlLibrary } from '../core/yaml-writer';
import { CLUSTER_CHECKS, schemaCheck } from './cluster-checks';
import { POLICY_CHECKS } from './policy-checks';
import type { CustomResourceDefinition } from './schema/schema-types';
import { SchemaValidator } from './schema/schema-validator';

/** Options of {@link validateManifests} and {@link validateManifestFiles}. */
export interface ManifestValidationOptions {
  /**
   * What the checks know of the cluster.
   * @default - Traefik's defaults: no cross-namespace references
   */
  readonly cluster?: ClusterContext;
  /**
   * The schemas to validate against.
   * @default SchemaValidator.shipped()
   */
  readonly validator?: SchemaValidator;
  /**
   * CustomResourceDefinitions of the cluster beyond the shipped catalog: CRD
   * objects, or YAML files and folders of them. Their kinds are validated as
   * strictly as the shipped ones; one that redefines a shipped kind wins,
   * with a warning.
   * @default - the shipped catalog only
   */
  readonly crds?: readonly (string | CustomResourceDefinition)[];
  /**
   * The Kubernetes version whose API objects are validated against, `1.28` to `1.36`.
   * @default '1.28'
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Extra whole-cluster checks, run after the built-in ones.
   * @default - none
   */
  readonly checks?: readonly ClusterCheck[];
}

/** The outcome of validating a set of manifests. */
export interface ManifestValidationResult {
  /** How many objects were read. */
  readonly objects: number;
  /** How many files were read. */
  readonly files: number;
  /** Every problem found, warnings (with a `warning` code) included; valid when none is an error. */
  readonly problems: readonly Problem[];
  /** Every object read, by where it was read (`file#n`, the `path` of its problems). */
  readonly read: ReadonlyMap<string, Manifest>;
}

/**
 * Every check a synth runs, in the order they report: strict schemas
 * (`validator`, by default the shipped one), CLUSTER_CHECKS, POLICY_CHECKS,
 * then `extra`.
 */
export function synthChecks(extra: readonly ClusterCheck[] = [], validator?: SchemaValidator | (() => SchemaValidator)): ClusterCheck[] {
  return [schemaCheck(validator), ...CLUSTER_CHECKS, ...POLICY_CHECKS, ...extra];
}

/**
 * Runs every check a synth runs (strict schemas, then the whole-cluster
 * checks) over objects that may come from anywhere.
 */
export function validateManifests(objects: readonly SynthesizedObject[], options: ManifestValidationOptions = {}): Problem[] {
  const checks = synthChecks(options.checks, validatorOf(options));
  const context = resolveClusterContext(options.cluster);
  return checks.flatMap((check) => check(objects, context));
}

/** The validator of the options: theirs, or the shipped one with their CRDs (made once per options object). */
function validatorOf(options: ManifestValidationOptions): SchemaValidator | (() => SchemaValidator) | undefined {
  if (options.validator !== undefined) {
    return options.validator;
  }
  let made = validators.get(options);
  if (made === undefined) {
    made = SchemaValidator.shipped(options.kubernetesVersion).withCrds(options.crds ?? []);
    validators.set(options, made);
  }
  return made;
}
const validators = new WeakMap<ManifestValidationOptions, SchemaValidator>();

/** Every `.yaml`/`.yml` file of the given files and folders (folders walked recursively, sorted). */
export function manifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) {
        const child = path.join(p, entry);
        if (fs.statSync(child).isDirectory() || /\.ya?ml$/.test(entry)) {
          walk(child);
        }
      }
    } else {
      out.push(p);
    }
  };
  for (const p of paths) {
    walk(p);
  }
  return out;
}

/**
 * Reads YAML manifests (hand-written or synthesized) and runs every check of
 * a synth over them. The files given form one cluster, except the folders
 * laid out by environment (only subfolders, as `dist/` with `prod/` and
 * `staging/`): each subfolder is a cluster of its own. YAML syntax errors are
 * problems too.
 */
export function validateManifestFiles(paths: readonly string[], options: ManifestValidationOptions = {}): ManifestValidationResult {
  const shared: string[] = [];
  const clusters: string[][] = [];
  for (const p of paths) {
    const files = manifestFiles([p]);
    const environments = fs.statSync(p).isDirectory() ? environmentGroups(files, p) : undefined;
    if (environments) {
      clusters.push(...environments);
    } else {
      shared.push(...files);
    }
  }
  if (shared.length > 0 || clusters.length === 0) {
    clusters.unshift(shared);
  }
  return validateClusters(clusters, options);
}

/** Validates several clusters, each given as its manifest files, and adds up the results. */
export function validateClusters(clusters: readonly (readonly string[])[], options: ManifestValidationOptions = {}): ManifestValidationResult {
  let objects = 0;
  let files = 0;
  const problems: Problem[] = [];
  const read = new Map<string, Manifest>();
  for (const cluster of clusters) {
    const r = validateFiles(cluster, options);
    objects += r.objects;
    files += r.files;
    problems.push(...r.problems);
    for (const [where, manifest] of r.read) {
      read.set(where, manifest);
    }
  }
  return { objects, files, problems, read };
}

/**
 * Groups manifest files by environment when they all sit in subfolders of
 * `root` (`dist/prod/...`, `dist/staging/...`); otherwise one group.
 * @param root the folder the files were found in (default: their deepest common folder)
 */
export function groupByEnvironment(files: readonly string[], root?: string): string[][] {
  if (files.length === 0) {
    return [];
  }
  return environmentGroups(files, root ?? commonFolder(files)) ?? [[...files]];
}

/**
 * The one rule of an environment layout: a folder holding no manifest of its
 * own, only subfolders of them, holds one cluster per subfolder (an
 * environment's own kept/, platform/ and apps/ being part of it). Returns the
 * files grouped by subfolder (sorted by name), or undefined when `root` is
 * not laid out that way.
 */
function environmentGroups(files: readonly string[], root: string): string[][] | undefined {
  const top = path.resolve(root);
  // The layer folders of one environment (kept/, platform/, apps/) are not environments.
  const environmentOf = (f: string) => environmentOfFile(path.relative(top, path.resolve(f)).split(path.sep).join('/')).split('/')[0];
  if (files.length === 0 || files.some((f) => environmentOf(f) === '')) {
    return undefined;
  }
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const env = environmentOf(f);
    const group = groups.get(env);
    if (group) {
      group.push(f);
    } else {
      groups.set(env, [f]);
    }
  }
  return [...groups.keys()].sort().map((k) => groups.get(k) ?? []);
}

/** The deepest folder that holds every one of the files, directly or in a subfolder. */
function commonFolder(files: readonly string[]): string {
  const dirs = files.map((f) => path.dirname(path.resolve(f)));
  let root = dirs[0];
  while (!dirs.every((d) => d === root || d.startsWith(`${root}${path.sep}`))) {
    root = path.dirname(root);
  }
  return root;
}

function validateFiles(files: readonly string[], options: ManifestValidationOptions): ManifestValidationResult {
  const objects: SynthesizedObject[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const app = path.basename(file).replace(/(\.k8s)?\.ya?ml$/, '');
    const docs = yamlLibrary().parseAllDocuments(fs.readFileSync(file, 'utf8'));
    for (const [i, doc] of docs.entries()) {
      const where = `${file}#${i + 1}`;
      if (doc.errors.length > 0) {
        problems.push({ app, path: where, field: '(yaml)', message: `is not valid YAML: ${doc.errors[0].message.split('\n')[0]}` });
        continue;
      }
      const manifest = doc.toJS() as unknown;
      if (manifest === null || manifest === undefined) {
        continue; // an empty document, e.g. after a trailing ---
      }
      if (
        typeof manifest !== 'object' ||
        Array.isArray(manifest) ||
        typeof (manifest as Manifest).metadata !== 'object' ||
        (manifest as Manifest).metadata === null
      ) {
        problems.push({
          app,
          path: where,
          field: '(document)',
          value: manifest,
          message: 'is not a Kubernetes object with metadata',
          fix: 'write a mapping with apiVersion, kind and metadata',
        });
        continue;
      }
      objects.push({ app, path: where, manifest: manifest as Manifest });
    }
  }
  problems.push(...validateManifests(objects, options));
  return { objects: objects.length, files: files.length, problems, read: new Map(objects.map((o) => [o.path, o.manifest])) };
}
