import { Construct } from 'constructs';
import type { HelmChartProps } from '../../imports/helmcharts-helm.cattle.io';
import { ManifestObject, type ManifestObjectProps } from '../constructs/manifest-object';
import { clusterProfileOf } from '../core/cluster-profile';
import type { HelmValue, Json } from '../core/json';
import type { HelmValuesCarrier, KnownHelmValues } from '../core/manifest';
import { PropChecker } from '../core/prop-checker';
import { SORTED_YAML_STYLE, writeDocument, yamlLibrary } from '../core/yaml-writer';
import { chartAnnotations, chartPropChecker, HELM_CHART_RELEASE_PROPS_FIELDS, type HelmChartReleaseProps } from './helm-chart-props';

/** Props of {@link K3sHelmChart}. */
export type K3sHelmChartProps = HelmChartReleaseProps;

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
    if (!PropChecker.checkedByParent(this)) {
      const checker = chartPropChecker(this, props, HELM_CHART_RELEASE_PROPS_FIELDS, 'K3sHelmChart');
      const profile = clusterProfileOf(this);
      checker.check(
        profile.helm.kind === 'helm-controller',
        'props.chart',
        props.chart,
        `would never be installed: the ${profile.name} profile says charts are installed by ${profile.helm.kind}, not K3s's helm-controller`,
        'use HelmChartRelease (it installs the way the profile says), or FluxHelmRelease',
      );
      checker.reportProblems();
    }

    const values = props.values ? valuesContent(props.values) : undefined;
    const manifest: Json<HelmChartProps> = {
      metadata: {
        name: props.name,
        namespace,
        labels: props.labels,
        annotations: chartAnnotations(props, this.targetNamespace),
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
