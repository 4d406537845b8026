// Types only: the manifests are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { POD_SECURITY_REASON_ANNOTATION } from '../core/annotations';
import type { Json } from '../core/json';
import { DEFAULT_KUBERNETES_VERSION, type KubernetesVersion, kubernetesVersionOf } from '../core/kubernetes-version';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel } from '../core/value-rules';
import { ManifestObject } from './manifest-object';
import type { PodSecurityProfile } from './workload/pod-security';

/** Props of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /** The namespace name: a DNS-1123 label. */
  readonly name: string;
  /**
   * Labels of the Namespace object (besides the Pod Security labels).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The Pod Security Standards profile the namespace enforces. Audit and
   * warn always use `restricted`, so a relaxed app is still reported.
   * @default 'restricted'
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurity?: PodSecurityProfile;
  /**
   * Why the namespace enforces less than `restricted`; kept as the annotation
   * `cdk8s-homelab/pod-security-reason`.
   * @default - none
   */
  readonly podSecurityReason?: string;
}

/** The prop names of {@link AppNamespaceProps}, to find unknown ones at run time. */
const APP_NAMESPACE_PROPS_FIELDS: PropNames<AppNamespaceProps> = { name: 'string', labels: 'object?', podSecurity: 'string?', podSecurityReason: 'string?' };

/**
 * The Pod Security admission labels of a namespace enforcing `profile`,
 * pinned to the standards of Kubernetes `version` (the cluster's), so that a
 * cluster upgrade does not change what is admitted.
 */
export function podSecurityLabels(profile: PodSecurityProfile, version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [mode, level] of [
    ['enforce', profile],
    ['audit', 'restricted'],
    ['warn', 'restricted'],
  ] as const) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = `v${version}`;
  }
  return labels;
}

/**
 * The Namespace an app owns. Its id is `Resource`; AppStack emits it first in
 * the app's file so that `kubectl apply` creates it before the rest (or in
 * `kept/`, applied first, with HomelabApp `applySet`).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
 */
export class AppNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Pod Security profile the namespace enforces. */
  public readonly podSecurity: PodSecurityProfile;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_NAMESPACE_PROPS_FIELDS, 'AppNamespace');
    checker.throwIfIncomplete();
    checker.check(
      isDnsLabel(props.name),
      'props.name',
      props.name,
      'is not a valid namespace name',
      'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
    checker.reportProblems();
    this.name = props.name;
    this.podSecurity = props.podSecurity ?? 'restricted';
    const manifest: Json<k8s.KubeNamespaceProps> = {
      metadata: {
        name: props.name,
        labels: { ...props.labels, ...podSecurityLabels(this.podSecurity, kubernetesVersionOf(this)) },
        annotations: props.podSecurityReason ? { [POD_SECURITY_REASON_ANNOTATION]: props.podSecurityReason } : undefined,
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'v1', kind: 'Namespace', ...manifest });
  }
}
