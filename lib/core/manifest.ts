/** One Kubernetes object of the synthesized cluster, with where it came from. */
export interface SynthesizedObject {
  /** The app (top-level chart id) that emitted it. */
  readonly app: string;
  /** The construct path of the ApiObject. */
  readonly path: string;
  /** The manifest, as it is written to YAML. */
  readonly manifest: Manifest;
}

/** A Kubernetes manifest: apiVersion, kind, metadata and the rest. */
export interface Manifest {
  /** e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** e.g. `Deployment`. */
  readonly kind: string;
  /** The object's metadata. */
  readonly metadata: ManifestMetadata;
  /** The rest: spec, data, ... */
  readonly [key: string]: unknown;
}

/** The metadata of a manifest. */
export interface ManifestMetadata {
  /** The object's name. */
  readonly name?: string;
  /** The object's namespace (none for cluster-wide kinds). */
  readonly namespace?: string;
  /** Labels, annotations and the rest. */
  readonly [key: string]: unknown;
}

/** One output file: every object of one app. */
export interface SynthesizedFile {
  /** The file name, `<app>.k8s.yaml`. */
  readonly fileName: string;
  /** The app it holds. */
  readonly app: string;
  /** Its objects, in apply order (Namespace first). */
  readonly objects: readonly SynthesizedObject[];
}
