import { createRequire } from 'node:module';
import * as path from 'node:path';
import { toIssues } from './schema-issues';
import { loadSchemaSet, newAjv, packageRoot, shippedSources } from './schema-set';
import type { Schema, SchemaIssue, SchemaSet, SchemaSources, ValidateFn } from './schema-types';
import { GENERATED_VALIDATORS, type GeneratedModule, rareModuleOf, validatorModuleIsStale } from './validator-module';

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
