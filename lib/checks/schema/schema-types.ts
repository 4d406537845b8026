import type { ErrorObject } from 'ajv';

/** A JSON schema node, as read from the definitions and the CRDs. */
export type Schema = { [key: string]: unknown };

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
export interface ValidateFn {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The strict schemas: the Kubernetes definitions, and one schema per apiVersion/kind. */
export interface SchemaSet {
  readonly definitions: Record<string, Schema>;
  readonly schemas: Map<string, Schema>;
  /** Where each apiVersion/kind comes from: `kubernetes`, or the API group of its CRD. */
  readonly origins: Map<string, string>;
}

/** A CustomResourceDefinition, as far as validation reads it (apiextensions.k8s.io/v1). */
export interface CustomResourceDefinition {
  /** `CustomResourceDefinition`. */
  readonly kind: string;
  /** The definition. */
  readonly spec: CustomResourceDefinitionSpec;
}

/** The spec of a {@link CustomResourceDefinition}. */
export interface CustomResourceDefinitionSpec {
  /** The API group of its kinds, e.g. `cert-manager.io`. */
  readonly group: string;
  /** Its names. */
  readonly names: CustomResourceDefinitionNames;
  /** Its versions; each served one validates objects of `<group>/<name>`. */
  readonly versions: CustomResourceDefinitionVersion[];
}

/** The names of a {@link CustomResourceDefinition}. */
export interface CustomResourceDefinitionNames {
  /** What objects of it say in `kind`, e.g. `Certificate`. */
  readonly kind: string;
}

/** One version of a {@link CustomResourceDefinition}. */
export interface CustomResourceDefinitionVersion {
  /** The version, e.g. `v1`. */
  readonly name: string;
  /** Whether the API server serves it (only served versions validate objects). */
  readonly served: boolean;
  /**
   * Its schema.
   * @default - none: objects of this version are not validated
   */
  readonly schema?: CustomResourceValidation;
}

/** The schema of a {@link CustomResourceDefinitionVersion}. */
export interface CustomResourceValidation {
  /**
   * The OpenAPI v3 schema of the objects.
   * @default - none
   */
  readonly openAPIV3Schema?: Schema;
}
