import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLUSTER_CHECKS, ClusterCheck, ClusterContext, schemaCheck } from './cluster-checks';
import { Problem } from './errors';
import { POLICY_CHECKS } from './policy-checks';
import { SchemaValidator } from './schema-validator';
import { Manifest, SynthesizedObject } from './synthesizer';

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
}

/**
 * Runs every check a synth runs (strict schemas, then the whole-cluster
 * checks) over objects that may come from anywhere.
 */
export function validateManifests(objects: readonly SynthesizedObject[], options: ManifestValidationOptions = {}): Problem[] {
  const checks = [schemaCheck(options.validator), ...CLUSTER_CHECKS, ...POLICY_CHECKS, ...(options.checks ?? [])];
  const context = { allowCrossNamespace: false, ...options.cluster };
  return checks.flatMap((check) => check(objects, context));
}

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
 * a synth over them as one cluster. YAML syntax errors are problems too.
 */
export function validateManifestFiles(paths: readonly string[], options: ManifestValidationOptions = {}): ManifestValidationResult {
  const files = manifestFiles(paths);
  const objects: SynthesizedObject[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const app = path.basename(file).replace(/(\.k8s)?\.ya?ml$/, '');
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
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
      if (typeof manifest !== 'object' || Array.isArray(manifest) || typeof (manifest as Manifest).metadata !== 'object' || (manifest as Manifest).metadata === null) {
        problems.push({ app, path: where, field: '(document)', value: manifest, message: 'is not a Kubernetes object with metadata', fix: 'write a mapping with apiVersion, kind and metadata' });
        continue;
      }
      objects.push({ app, path: where, manifest: manifest as Manifest });
    }
  }
  problems.push(...validateManifests(objects, options));
  return { objects: objects.length, files: files.length, problems };
}
