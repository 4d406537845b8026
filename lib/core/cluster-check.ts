import type { SynthesizedObject } from './manifest';
import type { Problem } from './problems';

/** What the checks need to know of the cluster beyond the objects themselves. */
export interface ClusterContext {
  /**
   * Whether Traefik lets an IngressRoute reference Services and Middlewares of
   * other namespaces (`providers.kubernetesCRD.allowCrossNamespace`).
   * @default false (Traefik's default, {@link DEFAULT_ALLOW_CROSS_NAMESPACE})
   */
  readonly allowCrossNamespace?: boolean;
  /**
   * Certificate resolvers declared outside the synthesized output (the
   * TraefikConfig of the cluster declares its own).
   * @default - only those of a TraefikConfig in the output
   */
  readonly certResolvers?: string[];
  /**
   * Secrets created by hand (`kubectl create secret`), as `namespace/name`:
   * objects may use them although nothing in the output provides them.
   * @default - none
   */
  readonly handMadeSecrets?: string[];
  /**
   * Where the ingress controller's pods run and their labels, to check that
   * the NetworkPolicies of each routed app let it in.
   * @default DEFAULT_INGRESS_CONTROLLER: K3s's Traefik, in kube-system, labelled app.kubernetes.io/name: traefik
   */
  readonly ingressController?: PodIdentity;
  /**
   * Whether LoadBalancer Services get the nodes' own addresses (K3s's
   * ServiceLB): each port of one is then taken on every node, so two cannot
   * share a port and protocol, nor take Traefik's.
   * @default false (the profile's `loadBalancer: 'servicelb'` sets it)
   */
  readonly serviceLb?: boolean;
}

/** A pod as NetworkPolicies see it: its namespace and its labels. */
export interface PodIdentity {
  /** Its namespace. */
  readonly namespace: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The ingress controller of a default K3s cluster: Traefik, installed by K3s in kube-system. */
export const DEFAULT_INGRESS_CONTROLLER: PodIdentity = Object.freeze({
  namespace: 'kube-system',
  labels: Object.freeze({ 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' }),
});

/**
 * A check run over the whole synthesized cluster before anything is written;
 * it returns every problem it finds.
 */
export type ClusterCheck = (objects: readonly SynthesizedObject[], context: ClusterContext) => Problem[];

/** Traefik's default for `providers.kubernetesCRD.allowCrossNamespace`: a route reaches only its own namespace. */
export const DEFAULT_ALLOW_CROSS_NAMESPACE = false;

/** A ClusterContext with its defaults filled in. */
export function resolveClusterContext(context: ClusterContext = {}): ClusterContext {
  return { ...context, allowCrossNamespace: context.allowCrossNamespace ?? DEFAULT_ALLOW_CROSS_NAMESPACE };
}
