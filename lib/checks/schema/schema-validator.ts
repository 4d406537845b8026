import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { DEFAULT_KUBERNETES_VERSION, type KubernetesVersion, newerVersions } from '../../core/kubernetes-version';
import { resolveCrdInputs } from './crd-inputs';
import { toIssues } from './schema-issues';
import { crdSchemas, loadSchemaSet, newAjv, packageRoot, readCrdFiles, shippedSources } from './schema-set';
import type { CustomResourceDefinition, Schema, SchemaIssue, SchemaSet, SchemaSources, ValidateFn } from './schema-types';
import { type GeneratedModule, generatedValidatorsOf, moduleHasHash, partFile, validatorModuleIsStale } from './validator-module';

/** Options of a {@link SchemaValidator}. */
export interface SchemaValidatorOptions {
  /**
   * CustomResourceDefinitions of the user, whose kinds win over the shipped ones.
   * @default - none
   */
  readonly crds?: readonly CustomResourceDefinition[];
  /**
   * The Kubernetes version of the definitions.
   * @default '1.28'
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * A validator of the kinds the sources do not define (the catalog of CRDs, for another version than the default).
   * @default - none: those kinds have no known schema
   */
  readonly others?: SchemaValidator;
}

/**
 * Strict validation of manifests against the Kubernetes 1.28 schemas, the
 * `openAPIV3Schema` of the shipped CRDs (the catalog in `crds/`) and of the
 * user's (see withCrds), the way `kubectl apply --validate=strict` and
 * `kubeconform -strict` reject them: unknown fields, wrong types, missing
 * required fields, bad enum values, and kinds with no schema at all.
 *
 * The build precompiles every shipped validator (ajv standalone code) into a
 * main module for the common kinds and one part per other group (see
 * partOf), each loaded in milliseconds when first needed; without them (or
 * when the schemas changed since) validators are compiled in process, once
 * per kind, as are those of the user's CRDs.
 */
export class SchemaValidator {
  /**
   * The validator of the schemas shipped with the package: the Kubernetes
   * API of `version` (default 1.28) and the catalog of CRDs.
   */
  public static shipped(version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION): SchemaValidator {
    let validator = SchemaValidator.shippedInstances.get(version);
    if (!validator) {
      const root = packageRoot();
      const catalog = version === DEFAULT_KUBERNETES_VERSION ? undefined : SchemaValidator.shipped();
      validator = new SchemaValidator(shippedSources(root, version), path.join(root, generatedValidatorsOf(version)), {
        kubernetesVersion: version,
        others: catalog,
      });
      SchemaValidator.shippedInstances.set(version, validator);
    }
    return validator;
  }
  private static readonly shippedInstances = new Map<KubernetesVersion, SchemaValidator>();

  private readonly generated?: GeneratedModule;
  private readonly generatedFile?: string;
  /** The parts of the precompiled validators loaded so far; undefined for a part that is missing or stale. */
  private readonly parts = new Map<string, GeneratedModule | undefined>();
  private set?: SchemaSet;
  private compiler?: { compile(schema: Schema): ValidateFn };
  private readonly compiled = new Map<string, ValidateFn>();

  /** The schemas of the user's CRDs (see withCrds), which win over the shipped ones. */
  private readonly userSchemas = new Map<string, Schema>();
  private readonly userCompiled = new Map<string, ValidateFn>();
  private userCompiler?: { compile(schema: Schema): ValidateFn; set: SchemaSet };
  /** The apiVersion/kinds of the shipped schemas that a user CRD replaced with a different schema. */
  public readonly replacedKinds: readonly string[];

  /** The Kubernetes version of the definitions. */
  public readonly kubernetesVersion: KubernetesVersion;
  /** The validator of the kinds these sources do not define (the catalog of CRDs, for another version than the default). */
  private readonly others?: SchemaValidator;
  private readonly userCrds: readonly CustomResourceDefinition[];

  /**
   * @param sources the schemas
   * @param generatedModule a module written by `writeValidatorModule` for these sources; used when
   *   its hash matches the sources, ignored otherwise
   * @param options the user's CRDs, the Kubernetes version of the definitions, and a validator of the other kinds
   */
  constructor(
    private readonly sources: SchemaSources,
    generatedModule?: string,
    options: SchemaValidatorOptions = {},
  ) {
    this.kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    this.others = options.others;
    this.userCrds = options.crds ?? [];
    const userCrds = this.userCrds;
    if (generatedModule !== undefined && !validatorModuleIsStale(sources, generatedModule)) {
      this.generated = createRequire(__filename)(generatedModule) as GeneratedModule;
      this.generatedFile = generatedModule;
    }
    const replaced: string[] = [];
    // The shipped schemas of each group the user's CRDs touch, read once per group.
    const shippedByGroup = new Map<string, Map<string, Schema>>();
    for (const crd of userCrds) {
      let shipped = shippedByGroup.get(crd.spec.group);
      if (shipped === undefined) {
        shipped = new Map(this.shippedCrdSchemas(crd.spec.group));
        shippedByGroup.set(crd.spec.group, shipped);
      }
      for (const [key, schema] of crdSchemas(crd)) {
        const before = shipped.get(key);
        if (before !== undefined && JSON.stringify(before) === JSON.stringify(schema)) {
          continue; // the very CRD the package ships (e.g. listed under imports: for cdk8s import): its precompiled validator serves
        }
        this.userSchemas.set(key, schema);
        if (before !== undefined || this.knowsShipped(key)) {
          replaced.push(key);
        }
      }
    }
    this.replacedKinds = [...new Set(replaced)];
  }

  /**
   * A validator that also knows the kinds of `crds`: CRD objects, or YAML
   * files and folders of them. Their kinds are validated as strictly as the
   * shipped ones (compiled when first needed); where one defines a kind the
   * package ships, the user's wins (listed in replacedKinds).
   */
  public withCrds(crds: readonly (string | CustomResourceDefinition)[]): SchemaValidator {
    // A copy of a shipped CRD file (listed under imports: for cdk8s import) adds nothing: skipped unread.
    const own = crds.filter((c) => typeof c !== 'string' || !this.isShippedFile(c));
    if (own.length === 0) {
      return this;
    }
    return new SchemaValidator(this.sources, this.generatedFile, {
      crds: [...this.userCrds, ...resolveCrdInputs(own)],
      kubernetesVersion: this.kubernetesVersion,
      others: this.others,
    });
  }

  /** Whether `file` is a file with the same name and bytes as one of the shipped CRDs. */
  private isShippedFile(file: string): boolean {
    const shipped = this.catalogFiles().find((f) => path.basename(f) === path.basename(file));
    if (shipped === undefined) {
      return false;
    }
    if (path.resolve(file) === path.resolve(shipped)) {
      return true; // the shipped file itself (crds/ of this repository, or of the installed package)
    }
    try {
      return fs.statSync(file).size === fs.statSync(shipped).size && fs.readFileSync(file).equals(fs.readFileSync(shipped));
    } catch {
      return false;
    }
  }

  /** The CRD files of the catalog (the default version's sources hold them). */
  private catalogFiles(): readonly string[] {
    return this.others?.catalogFiles() ?? this.sources.crdFiles;
  }

  /** Whether validators come precompiled (true) or are compiled in process (false). */
  public get precompiled(): boolean {
    return this.generated !== undefined;
  }

  /** Whether a schema is known for this apiVersion and kind. */
  public knows(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    return this.userSchemas.has(key) || this.knowsShipped(key) || (this.others?.knows(apiVersion, kind) ?? false);
  }

  private knowsShipped(key: string): boolean {
    return this.generated ? key in this.generated.__index : this.schemaSet().schemas.has(key);
  }

  /** The apiVersions known for a kind, to suggest a fix for a typo. */
  public versionsOf(kind: string): string[] {
    const suffix = `/${kind}`;
    const shipped = this.generated ? Object.keys(this.generated.__index) : [...this.schemaSet().schemas.keys()];
    const keys = [...new Set([...shipped, ...this.userSchemas.keys(), ...(this.others?.versionsOf(kind) ?? []).map((v) => `${v}/${kind}`)])];
    return keys
      .filter((k) => k.endsWith(suffix))
      .map((k) => k.slice(0, -suffix.length))
      .sort();
  }

  /** Every schema violation of one manifest; empty when it is valid. */
  public validate(manifest: unknown): SchemaIssue[] {
    return this.newerFields(this.issuesOf(manifest), manifest);
  }

  /** The schema violations of one manifest, as the definitions of this version see them. */
  private issuesOf(manifest: unknown): SchemaIssue[] {
    if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
      return [{ field: '(document)', value: manifest, message: 'is not a Kubernetes object', fix: 'write a mapping with apiVersion, kind and metadata' }];
    }
    const { apiVersion, kind } = manifest as { apiVersion?: unknown; kind?: unknown };
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      const field = typeof apiVersion !== 'string' ? 'apiVersion' : 'kind';
      return [{ field, value: field === 'apiVersion' ? apiVersion : kind, message: 'is missing or not a string' }];
    }
    const validate = this.validatorFor(`${apiVersion}/${kind}`);
    if (!validate && this.others?.knows(apiVersion, kind)) {
      return this.others.issuesOf(manifest);
    }
    if (!validate) {
      const versions = this.versionsOf(kind);
      return [
        {
          field: 'apiVersion/kind',
          value: `${apiVersion}/${kind}`,
          message: `has no known schema (Kubernetes ${this.kubernetesVersion}, the shipped CRDs and yours)`,
          fix:
            versions.length > 0
              ? `use apiVersion ${versions.join(' or ')}`
              : "check the kind's spelling, or give its CRD file to HomelabApp's crds (validate --crd, the plugin's crds property; see the README's CRDs)",
        },
      ];
    }
    if (validate(manifest)) {
      return [];
    }
    const key = `${apiVersion}/${kind}`;
    const userSchema = this.userSchemas.get(key);
    if (userSchema !== undefined) {
      return toIssues(validate.errors ?? [], manifest, userSchema, this.userSet().set);
    }
    const set = this.schemaSet();
    return toIssues(validate.errors ?? [], manifest, set.schemas.get(key) ?? {}, set);
  }

  /**
   * Unknown fields that a newer Kubernetes version has: said so, with the
   * version to choose (only on errors: the newer versions load only then).
   */
  private newerFields(issues: SchemaIssue[], manifest: unknown): SchemaIssue[] {
    const newer = newerVersions(this.kubernetesVersion);
    if (newer.length === 0 || !issues.some(isUnknownField)) {
      return issues;
    }
    return issues.map((issue) => {
      if (!isUnknownField(issue)) {
        return issue;
      }
      const { apiVersion, kind } = manifest as { apiVersion: string; kind: string };
      const since = newer.find((v) => {
        const other = SchemaValidator.shipped(v);
        return other.knows(apiVersion, kind) && !other.issuesOf(manifest).some((i) => isUnknownField(i) && i.field === issue.field);
      });
      return since === undefined
        ? issue
        : {
            ...issue,
            message: `is not a field of Kubernetes ${this.kubernetesVersion} (it is from ${since} on)`,
            fix: `set kubernetesVersion to ${since} or later if your cluster runs it, or remove it`,
          };
    });
  }

  /** The validator of a user CRD's kind, compiled when first needed against the Kubernetes definitions. */
  private userValidatorFor(key: string): ValidateFn | undefined {
    const schema = this.userSchemas.get(key);
    if (schema === undefined) {
      return undefined;
    }
    let fn = this.userCompiled.get(key);
    if (!fn) {
      fn = this.userSet().compile(schema);
      this.userCompiled.set(key, fn);
    }
    return fn;
  }

  /** The Kubernetes definitions (the user's CRDs refer to ObjectMeta) with the user's schemas, and their compiler. */
  private userSet(): { compile(schema: Schema): ValidateFn; set: SchemaSet } {
    if (!this.userCompiler) {
      const base = loadSchemaSet({ kubernetesDefinitions: this.sources.kubernetesDefinitions, crdFiles: [] });
      const set: SchemaSet = { definitions: base.definitions, schemas: this.userSchemas, origins: new Map() };
      this.userCompiler = { compile: newAjv(set, false).compile, set };
    }
    return this.userCompiler;
  }

  /** The schemas the package ships for the CRDs of one API group (read from its files, `<group>_<plural>.yaml`). */
  private shippedCrdSchemas(group: string): [string, Schema][] {
    const files = this.sources.crdFiles.filter((f) => path.basename(f).startsWith(`${group}_`));
    return readCrdFiles(files).flatMap(crdSchemas);
  }

  private validatorFor(key: string): ValidateFn | undefined {
    const user = this.userValidatorFor(key);
    if (user) {
      return user;
    }
    if (this.generated) {
      const ref = this.generated.__index[key];
      if (ref === undefined) {
        return undefined;
      }
      const [part, name] = ref.split(':');
      const module = part === 'main' ? this.generated : this.part(part);
      if (module) {
        return module[name] as ValidateFn;
      }
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

  /** A part of the precompiled validators, loaded when first needed; undefined when missing or not of these sources (then validators are compiled in process). */
  private part(part: string): GeneratedModule | undefined {
    if (!this.parts.has(part)) {
      const file = partFile(this.generatedFile ?? '', part);
      const usable = fs.existsSync(file) && moduleHasHash(file, this.generated?.__hash ?? '');
      this.parts.set(part, usable ? (createRequire(__filename)(file) as GeneratedModule) : undefined);
    }
    return this.parts.get(part);
  }

  /** The strict schemas, read only when needed (in-process compilation, or explaining an error). */
  private schemaSet(): SchemaSet {
    if (!this.set) {
      this.set = loadSchemaSet(this.sources);
    }
    return this.set;
  }
}

function isUnknownField(issue: SchemaIssue): boolean {
  return issue.message === 'is not a known field';
}
