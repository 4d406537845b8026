import { PROVIDES_SERVICES_ANNOTATION } from './annotations';
import type { Manifest, SynthesizedObject } from './manifest';
import { yamlLibrary } from './yaml-writer';

/** A JSON object of a manifest, read without trusting its shape. */
export type Obj = Record<string, unknown>;

/** `v` when it is a JSON object, else an empty one. */
export function asObj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** Adds annotations to a synthesized manifest (after synth's walk, before the checks and the files), keeping its others. */
export function addAnnotations(manifest: { readonly metadata: object }, annotations: Readonly<Record<string, string>>): void {
  const metadata = manifest.metadata as Record<string, unknown>;
  metadata.annotations = { ...asObj(metadata.annotations), ...annotations };
}

const NO_ITEMS: readonly Obj[] = Object.freeze([]);

/**
 * `v`'s items as objects when it is a list (an item that is not one reads as
 * an empty object), else an empty list. Read only: it may be `v` itself.
 */
export function asList(v: unknown): readonly Obj[] {
  if (!Array.isArray(v)) {
    return NO_ITEMS;
  }
  for (const item of v) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return v.map(asObj);
    }
  }
  return v as Obj[];
}

/** `v` as a list of strings: its strings, or none when it is not a list. */
export function asStrings(v: unknown): readonly string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The namespace of a manifest, `default` when it names none. */
export function namespaceOf(m: Manifest): string {
  return m.metadata.namespace ?? 'default';
}

/** A pod template of a workload, with where it sits in the manifest. */
export interface PodTemplate {
  /** Where its pod spec is, e.g. `spec.template.spec`. */
  readonly specField: string;
  /** Where its labels are, e.g. `spec.template.metadata.labels`. */
  readonly labelsField: string;
  /** Its pod labels. */
  readonly labels: Record<string, string>;
  /** Its pod spec. */
  readonly spec: Obj;
  /** Whether its pods run for good (not to completion). */
  readonly longRunning: boolean;
}

/** A container of a pod template, with where it sits. */
export interface TemplateContainer {
  /** Where it is, e.g. `spec.template.spec.containers[0]`. */
  readonly field: string;
  /** The container. */
  readonly container: Obj;
  /** Whether it runs beside the app's containers rather than as one (init and ephemeral containers). */
  readonly init: boolean;
}

/**
 * The containers of a pod template: init containers, then containers, then
 * (with `ephemeral`) ephemeral containers.
 */
export function containersOf(t: PodTemplate, ephemeral = false): TemplateContainer[] {
  const at = (list: unknown, name: string, init: boolean) => asList(list).map((container, i) => ({ field: `${t.specField}.${name}[${i}]`, container, init }));
  return [
    ...at(t.spec.initContainers, 'initContainers', true),
    ...at(t.spec.containers, 'containers', false),
    ...(ephemeral ? at(t.spec.ephemeralContainers, 'ephemeralContainers', true) : []),
  ];
}

const templatesOf = new WeakMap<Manifest, readonly PodTemplate[]>();

/** The pod templates of a workload manifest (none for other kinds), found once per manifest. */
export function podTemplates(m: Manifest): readonly PodTemplate[] {
  let templates = templatesOf.get(m);
  if (templates === undefined) {
    templates = findPodTemplates(m);
    templatesOf.set(m, templates);
  }
  return templates;
}

function findPodTemplates(m: Manifest): PodTemplate[] {
  const spec = asObj(m.spec);
  const at = (template: Obj, field: string, longRunning: boolean): PodTemplate => ({
    specField: `${field}.spec`,
    labelsField: `${field}.metadata.labels`,
    labels: asObj(asObj(template.metadata).labels) as Record<string, string>,
    spec: asObj(template.spec),
    longRunning,
  });
  switch (m.kind) {
    case 'Pod':
      return [{ specField: 'spec', labelsField: 'metadata.labels', labels: asObj(m.metadata.labels) as Record<string, string>, spec, longRunning: true }];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
      return [at(asObj(spec.template), 'spec.template', true)];
    case 'Job':
      return [at(asObj(spec.template), 'spec.template', false)];
    case 'CronJob':
      return [at(asObj(asObj(asObj(spec.jobTemplate).spec).template), 'spec.jobTemplate.spec.template', false)];
    default:
      return [];
  }
}

/** The values of a HelmChart, HelmChartConfig or HelmRelease: parsed, or why they cannot be. */
export interface HelmValues {
  /** The parsed `spec.valuesContent`, or a HelmRelease's `spec.values` (null when there is none). */
  readonly values: unknown;
  /** The parser's first line of complaint, when the text is not YAML. */
  readonly error?: string;
}

const parsedValues = new WeakMap<Manifest, HelmValues>();

/**
 * The Helm values of an object: a HelmRelease's `spec.values` as they are;
 * the `spec.valuesContent` text of a HelmChart or HelmChartConfig parsed
 * once per manifest however many checks ask, and not at all when the object
 * carries the values its construct wrote and the text is still the one
 * written (a JSON patch may have changed it since).
 */
export function helmValuesOf(o: SynthesizedObject): HelmValues {
  const m = o.manifest;
  if (m.kind === 'HelmRelease') {
    return { values: asObj(m.spec).values ?? null };
  }
  let parsed = parsedValues.get(m);
  if (parsed === undefined) {
    const text = String(asObj(m.spec).valuesContent ?? '');
    const known = o.helmValues !== undefined && o.helmValues.text === text ? o.helmValues.values : undefined;
    try {
      parsed = { values: text.trim() === '' ? null : (known ?? (yamlLibrary().parse(text) as unknown)) };
    } catch (e) {
      parsed = { values: null, error: (e as Error).message.split('\n')[0] };
    }
    parsedValues.set(m, parsed);
  }
  return parsed;
}

/** A Service a chart creates, so routes may point at it although it is not in the synthesized output. */
export interface ProvidedService {
  /** The Service name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the chart's target namespace
   */
  readonly namespace?: string;
  /** Its ports (numbers or names). */
  readonly ports: (number | string)[];
}

/** The field of an object's Helm values: `spec.values` of a HelmRelease, `spec.valuesContent` of the others. */
export function helmValuesField(m: Manifest): string {
  return m.kind === 'HelmRelease' ? 'spec.values' : 'spec.valuesContent';
}

/** The chart a HelmChart (helm-controller) or HelmRelease (Flux) installs, or undefined for other objects. */
export interface InstalledChart {
  /** The chart's name. */
  readonly chart: string;
  /** Its version, when pinned. */
  readonly version?: string;
  /** The namespace it installs into. */
  readonly targetNamespace: string;
}

/** The chart a HelmChart or HelmRelease manifest installs. */
export function installedChartOf(m: Manifest): InstalledChart | undefined {
  const spec = asObj(m.spec);
  const chartSpec = m.kind === 'HelmRelease' ? asObj(asObj(spec.chart).spec) : m.kind === 'HelmChart' ? spec : undefined;
  if (chartSpec === undefined) {
    return undefined;
  }
  const version = chartSpec.version;
  return {
    chart: String(chartSpec.chart ?? ''),
    version: typeof version === 'string' ? version : undefined,
    targetNamespace: String(spec.targetNamespace ?? m.metadata.namespace ?? 'default'),
  };
}

/** The Services a HelmChart or HelmRelease manifest says it provides (its PROVIDES_SERVICES_ANNOTATION), namespace always set. */
export function providedServicesOf(m: Manifest): ProvidedService[] {
  const list = m.kind === 'HelmChart' || m.kind === 'HelmRelease' ? asObj(m.metadata.annotations)[PROVIDES_SERVICES_ANNOTATION] : undefined;
  if (typeof list !== 'string') {
    return [];
  }
  return list
    .split(';')
    .filter(Boolean)
    .map((entry) => {
      const [service, ports = ''] = entry.split(':');
      const [namespace, name] = service.split('/');
      return { name, namespace, ports: ports.split(',').filter(Boolean) };
    });
}
