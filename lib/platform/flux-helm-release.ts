import { Construct } from 'constructs';
import type { HelmReleaseProps } from '../../imports/flux-helm-helmreleases-helm.toolkit.fluxcd.io';
import type { HelmRepositoryProps } from '../../imports/flux-source-helmrepositories-source.toolkit.fluxcd.io';
import { ManifestObject } from '../constructs/manifest-object';
import { clusterProfileOf, FLUX } from '../core/cluster-profile';
import { type Json, sortedHelmValues } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isGoDuration } from '../core/value-rules';
import { chartAnnotations, chartPropChecker, HELM_CHART_RELEASE_PROPS_FIELDS, type HelmChartReleaseProps } from './helm-chart-props';

/** Props of {@link FluxHelmRelease}. */
export interface FluxHelmReleaseProps extends HelmChartReleaseProps {
  /**
   * How often Flux compares the release and the repository with the cluster, as a duration.
   * @default - the cluster profile's (`1h`)
   */
  readonly interval?: string;
}

/** The prop names of {@link FluxHelmReleaseProps}, to find unknown ones at run time. */
const FLUX_HELM_RELEASE_PROPS_FIELDS: PropNames<FluxHelmReleaseProps> = { ...HELM_CHART_RELEASE_PROPS_FIELDS, interval: 'string?' };

/**
 * A Helm chart installed by Flux: a `HelmRepository` (the chart source) and a
 * `HelmRelease` (the release, its values sorted and written as YAML, never
 * a secret), both in Flux's namespace. The release keeps its own name and its
 * Helm history in the target namespace, as `helm install` would.
 * @see https://fluxcd.io/flux/components/helm/helmreleases/
 */
export class FluxHelmRelease extends Construct {
  /** The release name. */
  public readonly name: string;
  /** The namespace the chart installs into. */
  public readonly targetNamespace: string;
  /** The HelmRepository object. */
  public readonly repository: ManifestObject;
  /** The HelmRelease object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: FluxHelmReleaseProps) {
    super(scope, id);
    this.name = props.name;
    this.targetNamespace = props.targetNamespace ?? props.name;
    const profile = clusterProfileOf(this).helm;
    const installer = profile.kind === 'flux' ? profile : FLUX;
    const namespace = props.namespace ?? installer.namespace;
    const interval = props.interval ?? installer.interval ?? '1h';
    if (!PropChecker.checkedByParent(this)) {
      const checker = chartPropChecker(this, props, FLUX_HELM_RELEASE_PROPS_FIELDS, 'FluxHelmRelease');
      checker.check(isGoDuration(interval), 'props.interval', interval, 'is not a duration', 'write e.g. 10m or 1h');
      checker.reportProblems();
    }

    const repository: Json<HelmRepositoryProps> = {
      metadata: { name: props.name, namespace, labels: props.labels },
      spec: { url: props.repo, interval, ...(props.repo.startsWith('oci://') ? { type: 'oci' as const } : {}) },
    };
    this.repository = new ManifestObject(this, 'Repository', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', ...repository });
    const release: Json<HelmReleaseProps> = {
      metadata: {
        name: props.name,
        namespace,
        labels: props.labels,
        annotations: chartAnnotations(props, this.targetNamespace),
      },
      spec: {
        interval,
        releaseName: props.name,
        targetNamespace: this.targetNamespace,
        storageNamespace: this.targetNamespace,
        install: { createNamespace: props.createNamespace ?? true },
        chart: { spec: { chart: props.chart, version: props.version, sourceRef: { kind: 'HelmRepository', name: props.name, namespace } } },
        values: props.values ? sortedHelmValues(props.values) : undefined,
        valuesFrom: props.valuesSecrets?.flatMap((s) =>
          s.keys ? s.keys.map((key) => ({ kind: 'Secret' as const, name: s.name, valuesKey: key })) : [{ kind: 'Secret' as const, name: s.name }],
        ),
        timeout: props.timeout,
      },
    };
    this.resource = new ManifestObject(this, 'Release', { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', ...release });
  }
}
