/** One Kubernetes object of the synthesized cluster, with where it came from. */
export interface SynthesizedObject {
  /** The app that emitted it: its AppStack's id (in a SharedNamespace too), else the top-level chart's id. */
  readonly app: string;
  /** The construct path of the ApiObject. */
  readonly path: string;
  /** The manifest, as it is written to YAML. */
  readonly manifest: Manifest;
  /**
   * The Helm values (`spec.valuesContent`) as the construct that wrote them
   * knows them, so that checks need not parse them again.
   * @default - unknown: checks parse `spec.valuesContent`
   */
  readonly helmValues?: KnownHelmValues;
}

/** Helm values as written: the YAML text and, when known without parsing, what it reads back as. */
export interface KnownHelmValues {
  /** The `spec.valuesContent` text written. */
  readonly text: string;
  /** What the text reads back as (undefined when it must be parsed). */
  readonly values?: unknown;
}

/**
 * An ApiObject (a HelmChart, a HelmChartConfig) that carries the Helm values it
 * was written with; the synth pipeline hands them on with the object.
 */
export interface HelmValuesCarrier {
  /** The values written into `spec.valuesContent`, when the object was made with them. */
  readonly helmValues?: KnownHelmValues;
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
