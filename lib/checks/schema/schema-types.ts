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
}

export interface CustomResourceDefinition {
  readonly kind: string;
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: { readonly name: string; readonly served: boolean; readonly schema?: { readonly openAPIV3Schema?: Schema } }[];
  };
}
