import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { DEFAULT_KUBERNETES_VERSION, type KubernetesVersion } from '../../core/kubernetes-version';
import { yamlLibrary } from '../../core/yaml-writer';
import type { CustomResourceDefinition, Schema, SchemaSet, SchemaSources, ValidateFn } from './schema-types';
import { strictCrd, strictKubernetes } from './strict-schema';

export const BASE = 'https://schemas.cdk8s-homelab.invalid';

export const DEFINITIONS_ID = `${BASE}/k8s`;

export const OBJECT_META = `${DEFINITIONS_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/**
 * The shipped schema files below a package root: the Kubernetes definitions
 * of `version` and, for the default version, the catalog of CRDs (the
 * validators of the other versions take the CRD kinds from the default one's).
 */
export function shippedSources(root: string = packageRoot(), version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION): SchemaSources {
  const crdDir = path.join(root, 'crds');
  return {
    kubernetesDefinitions: definitionsFile(root, version),
    crdFiles:
      version === DEFAULT_KUBERNETES_VERSION
        ? fs
            .readdirSync(crdDir)
            .filter((f) => f.endsWith('.yaml'))
            .sort()
            .map((f) => path.join(crdDir, f))
        : [],
  };
}

/** The Kubernetes definitions of a version, below a package root. */
export function definitionsFile(root: string, version: KubernetesVersion): string {
  return path.join(root, 'schemas', `k8s-${version}.0-definitions.json`);
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

export function loadSchemaSet(sources: SchemaSources): SchemaSet {
  const raw = (JSON.parse(fs.readFileSync(sources.kubernetesDefinitions, 'utf8')) as { definitions: Record<string, Schema> }).definitions;
  const schemas = new Map<string, Schema>();
  const origins = new Map<string, string>();
  const definitions: Record<string, Schema> = {};
  for (const [name, def] of Object.entries(raw)) {
    definitions[name] = strictKubernetes(def) as Schema;
    for (const gvk of (def['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined) ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      schemas.set(`${apiVersion}/${gvk.kind}`, { $ref: `${DEFINITIONS_ID}#/definitions/${name}` });
      origins.set(`${apiVersion}/${gvk.kind}`, 'kubernetes');
    }
  }
  for (const crd of readCrdFiles(sources.crdFiles)) {
    for (const [key, schema] of crdSchemas(crd)) {
      origins.set(key, crd.spec.group);
      schemas.set(key, schema);
    }
  }
  return { definitions, schemas, origins };
}

/** The CustomResourceDefinitions of YAML files (other documents are skipped). */
export function readCrdFiles(files: readonly string[]): CustomResourceDefinition[] {
  const { parseAllDocuments } = yamlLibrary();
  const crds: CustomResourceDefinition[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as CustomResourceDefinition | null;
      if (crd?.kind === 'CustomResourceDefinition') {
        crds.push(crd);
      }
    }
  }
  return crds;
}

/** The strict schema of each served version of a CRD, keyed `apiVersion/kind`. */
export function crdSchemas(crd: CustomResourceDefinition): [string, Schema][] {
  const out: [string, Schema][] = [];
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
    out.push([
      `${apiVersion}/${crd.spec.names.kind}`,
      {
        ...schema,
        properties,
        required: [...new Set([...((schema.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata'])],
        additionalProperties: false,
      },
    ]);
  }
  return out;
}

/** An ajv instance holding the Kubernetes definitions, ready to compile per-kind schemas. */
export function newAjv(set: SchemaSet, source: boolean): { compile(schema: Schema): ValidateFn; addSchema(schema: Schema): void; raw: unknown } {
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
