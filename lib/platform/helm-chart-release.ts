import { Construct } from 'constructs';
import type { ManifestObject } from '../constructs/manifest-object';
import { clusterProfileOf, type HelmInstaller } from '../core/cluster-profile';
import { PropChecker } from '../core/prop-checker';
import { FluxHelmRelease } from './flux-helm-release';
import { chartPropChecker, HELM_CHART_RELEASE_PROPS_FIELDS, type HelmChartReleaseProps } from './helm-chart-props';
import { K3sHelmChart } from './k3s-helm-chart';

/**
 * A Helm chart installed the way the cluster's profile installs charts:
 * a K3sHelmChart where helm-controller runs (K3s), a FluxHelmRelease where
 * Flux does (MicroK8s, Talos, kubeadm). The same props give the same release
 * on every profile.
 */
export class HelmChartRelease extends Construct {
  /** The release name. */
  public readonly name: string;
  /** The namespace the chart installs into. */
  public readonly targetNamespace: string;
  /** How the chart is installed (the profile's). */
  public readonly installer: HelmInstaller;
  /** The object that installs the chart: a HelmChart, or a HelmRelease. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: HelmChartReleaseProps) {
    super(scope, id);
    this.installer = clusterProfileOf(this).helm;
    chartPropChecker(this, props, HELM_CHART_RELEASE_PROPS_FIELDS, 'HelmChartRelease').reportProblems();
    PropChecker.declareChecked(this, ['Flux', 'HelmController']);
    const release =
      this.installer.kind === 'flux'
        ? new FluxHelmRelease(this, 'Flux', { ...props, namespace: props.namespace ?? this.installer.namespace })
        : new K3sHelmChart(this, 'HelmController', { ...props, namespace: props.namespace ?? this.installer.namespace });
    this.name = release.name;
    this.targetNamespace = release.targetNamespace;
    this.resource = release.resource;
  }
}
