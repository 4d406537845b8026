import { Construct } from 'constructs';
import type { HelmChartProps } from '../../imports/helmcharts-helm.cattle.io';
import { ManifestObject, type ManifestObjectProps } from '../constructs/manifest-object';
import { PROVIDES_SERVICES_ANNOTATION } from '../core/annotations';
import type { HelmValue, Json } from '../core/json';
import type { HelmValuesCarrier, KnownHelmValues } from '../core/manifest';
import type { ProvidedService } from '../core/manifest-fields';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { secretLikeValues } from '../core/secrets';
import { isDnsLabel, isDnsSubdomain, isPort } from '../core/value-rules';
import { SORTED_YAML_STYLE, writeDocument, yamlLibrary } from '../core/yaml-writer';

/** A Secret whose keys hold values files of a chart. */
export interface ValuesSecret {
  /** The Secret's name (in the HelmChart's namespace). */
  readonly name: string;
  /**
   * The keys to use.
   * @default - every key
   */
  readonly keys?: string[];
}

/** The prop names of {@link ValuesSecret}, to find unknown ones at run time. */
const VALUES_SECRET_FIELDS: PropNames<ValuesSecret> = { name: 'string', keys: 'string[]?' };

/** Props of {@link K3sHelmChart}. */
export interface K3sHelmChartProps {
  /** The release name (also the HelmChart object's name). */
  readonly name: string;
  /** The chart repository: an `https://` URL, or an `oci://` reference. */
  readonly repo: string;
  /** The chart name in the repository. */
  readonly chart: string;
  /** The exact chart version, e.g. `1.0.5` (no ranges: installs must be reproducible). */
  readonly version: string;
  /**
   * The namespace the chart installs into.
   * @default - the release name
   */
  readonly targetNamespace?: string;
  /**
   * Whether helm-controller creates the target namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The namespace of the HelmChart object (helm-controller watches every namespace).
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Chart values, written (with sorted keys) into `valuesContent`. Never put
   * secrets here: reference them (`valuesSecrets`, or the chart's existingSecret values).
   * @default - the chart's defaults
   */
  readonly values?: Record<string, HelmValue>;
  /**
   * Existing Secrets (in the HelmChart's namespace) whose keys hold values files.
   * @default - none
   */
  readonly valuesSecrets?: ValuesSecret[];
  /**
   * How long Helm may take, e.g. `10m`.
   * @default - helm-controller's default (300s)
   */
  readonly timeout?: string;
  /**
   * Services the chart creates, which routes of the cluster may reference.
   * @default - none
   */
  readonly provides?: ProvidedService[];
  /**
   * Labels of the HelmChart object.
   * @default - only `app.kubernetes.io/managed-by: cdk8s-homelab`, which every object gets
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link K3sHelmChartProps}, to find unknown ones at run time. */
export const K3S_HELM_CHART_PROPS_FIELDS: PropNames<K3sHelmChartProps> = {
  name: 'string',
  repo: 'string',
  chart: 'string',
  version: 'string',
  targetNamespace: 'string?',
  createNamespace: 'boolean?',
  namespace: 'string?',
  values: 'object?',
  valuesSecrets: 'list?',
  timeout: 'string?',
  provides: 'list?',
  labels: 'object?',
};

const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * A Helm chart installed by K3s's helm-controller: no helm binary at synth,
 * the chart version pinned, the values typed and serialized deterministically.
 * @see https://docs.k3s.io/helm
 */
export class K3sHelmChart extends Construct {
  /** The release name. */
  public readonly name: string;
  /** The namespace the chart installs into. */
  public readonly targetNamespace: string;
  /** The HelmChart object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: K3sHelmChartProps) {
    super(scope, id);
    this.name = props.name;
    this.targetNamespace = props.targetNamespace ?? props.name;
    const namespace = props.namespace ?? 'kube-system';
    const checker = new PropChecker(this);
    checker.checkShape('props', props, K3S_HELM_CHART_PROPS_FIELDS, 'K3sHelmChart');
    checker.checkShapeOfEach('props.valuesSecrets', props.valuesSecrets, VALUES_SECRET_FIELDS, 'ValuesSecret');
    checker.throwIfIncomplete();
    checkHelmChartProps(checker, props, this.targetNamespace);
    checker.reportProblems();

    const values = props.values ? valuesContent(props.values) : undefined;
    const provides = (props.provides ?? []).map((s) => `${s.namespace ?? this.targetNamespace}/${s.name}:${s.ports.join(',')}`).join(';');
    const manifest: Json<HelmChartProps> = {
      metadata: {
        name: props.name,
        namespace,
        labels: props.labels,
        annotations: provides ? { [PROVIDES_SERVICES_ANNOTATION]: provides } : undefined,
      },
      spec: {
        repo: props.repo,
        chart: props.chart,
        version: props.version,
        targetNamespace: this.targetNamespace,
        createNamespace: props.createNamespace ?? true,
        valuesContent: values?.text,
        valuesSecrets: props.valuesSecrets?.map((s) => ({ name: s.name, keys: s.keys ? [...s.keys] : undefined })),
        timeout: props.timeout,
      },
    };
    this.resource = new HelmValuesObject(this, 'Resource', { apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', ...manifest }, values);
  }
}

/**
 * Values as a YAML document with sorted keys (the same values always give the
 * same text), with what it reads back as: carried with the object, so that
 * the whole-cluster checks read these values without a YAML parser.
 */
export function valuesContent(values: Record<string, HelmValue>): KnownHelmValues {
  const written = writeDocument(values, SORTED_YAML_STYLE);
  if (written === undefined) {
    return { text: yamlLibrary().stringify(values, { sortMapEntries: true, lineWidth: 0 }) };
  }
  return { text: written.text, values: written.readsBackAs };
}

/** A ManifestObject that carries the Helm values it was written with (see {@link HelmValuesCarrier}). */
export class HelmValuesObject extends ManifestObject implements HelmValuesCarrier {
  /** The values written into `spec.valuesContent`. */
  public readonly helmValues?: KnownHelmValues;

  constructor(scope: Construct, id: string, props: ManifestObjectProps, helmValues: KnownHelmValues | undefined) {
    super(scope, id, props);
    this.helmValues = helmValues;
  }
}

/** Records every problem of the props of a K3sHelmChart installing into `targetNamespace`. */
function checkHelmChartProps(checker: PropChecker, props: K3sHelmChartProps, targetNamespace: string): void {
  checker.check(isDnsLabel(props.name), 'props.name', props.name, 'is not a valid release name', 'use lowercase letters, digits and "-"');
  checker.check(
    /^(https:\/\/|oci:\/\/)[^\s]+$/.test(props.repo),
    'props.repo',
    props.repo,
    'is not a chart repository',
    'use an https:// repository URL or an oci:// reference',
  );
  checker.check(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(props.chart), 'props.chart', props.chart, 'is not a chart name');
  checker.check(
    SEMVER.test(props.version),
    'props.version',
    props.version,
    'is not an exact version',
    'pin one version, e.g. "1.0.5", so every install is the same',
  );
  checker.check(isDnsLabel(targetNamespace), 'props.targetNamespace', targetNamespace, 'is not a valid namespace name');
  if (props.timeout !== undefined) {
    checker.check(
      /^(\d+h)?(\d+m)?(\d+s)?$/.test(props.timeout) && props.timeout !== '',
      'props.timeout',
      props.timeout,
      'is not a duration',
      'write e.g. 10m or 90s',
    );
  }
  for (const p of secretLikeValues(props.values ?? {})) {
    checker.check(
      false,
      `props.values.${p}`,
      '(hidden)',
      'looks like a secret, and values end up in Git',
      "reference a Secret (the chart's existingSecret value, or valuesSecrets)",
    );
  }
  for (const [i, s] of (props.valuesSecrets ?? []).entries()) {
    checker.check(isDnsSubdomain(s.name), `props.valuesSecrets[${i}].name`, s.name, 'is not a valid Secret name');
  }
  for (const [i, svc] of (props.provides ?? []).entries()) {
    checker.check(isDnsLabel(svc.name), `props.provides[${i}].name`, svc.name, 'is not a valid Service name');
    checker.check(
      svc.ports.length > 0 && svc.ports.every((p) => (typeof p === 'number' ? isPort(p) : /^[a-z0-9-]{1,15}$/.test(p))),
      `props.provides[${i}].ports`,
      svc.ports,
      'must list port numbers (1-65535) or port names',
    );
  }
}
