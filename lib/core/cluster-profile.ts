import type { IConstruct } from 'constructs';

/** Pods as a NetworkPolicy names them: a namespace, and labels within it. */
export interface PeerPods {
  /** Their namespace. */
  readonly namespace: string;
  /**
   * Their labels.
   * @default - every pod of the namespace
   */
  readonly podSelector?: Record<string, string>;
  /**
   * A short name for the policy that lets them in (`allow-from-<name>`).
   * @default - the namespace
   */
  readonly name?: string;
}

/**
 * The facts of a kind of cluster that every app would otherwise repeat: how
 * requests come in, and where volumes go. Given once on the App
 * (`HomelabApp({ profile })`); the constructs read their defaults from it.
 */
export interface ClusterProfile {
  /** The profile's name, e.g. `k3s`. */
  readonly name: string;
  /** The storage class of volumes that name none. */
  readonly storageClass: string;
  /** How an AppStack with no `expose` is reached: `https` (Traefik) or `ingress` (a standard Ingress). */
  readonly defaultExpose: 'https' | 'ingress';
  /** Where Traefik's pods run (for `https`, `gateway` and `tcp` apps), to let them through NetworkPolicies. */
  readonly traefik: PeerPods;
  /** The ingress class of standard Ingresses (`expose: 'ingress'`). */
  readonly ingressClassName: string;
  /** Where the pods of the standard Ingress controller run. */
  readonly ingressController: PeerPods;
}

/** K3s as it installs itself: Traefik in kube-system, the local-path provisioner. The default. */
export const K3S: ClusterProfile = Object.freeze({
  name: 'k3s',
  storageClass: 'local-path',
  defaultExpose: 'https',
  traefik: Object.freeze({ namespace: 'kube-system', podSelector: Object.freeze({ 'app.kubernetes.io/name': 'traefik' }), name: 'traefik' }),
  ingressClassName: 'nginx',
  ingressController: Object.freeze({
    namespace: 'ingress-nginx',
    podSelector: Object.freeze({ 'app.kubernetes.io/name': 'ingress-nginx' }),
    name: 'ingress-controller',
  }),
});

/** MicroK8s with its ingress addon (NGINX, class `public`, namespace `ingress`) and hostpath-storage addon. */
export const MICROK8S: ClusterProfile = Object.freeze({
  name: 'microk8s',
  storageClass: 'microk8s-hostpath',
  defaultExpose: 'ingress',
  traefik: K3S.traefik,
  ingressClassName: 'public',
  ingressController: Object.freeze({ namespace: 'ingress', podSelector: Object.freeze({ name: 'nginx-ingress-microk8s' }), name: 'ingress-controller' }),
});

/**
 * A cluster built by hand (Talos, kubeadm): its storage class, and Traefik
 * and/or an Ingress controller where your Helm releases installed them.
 */
export function genericProfile(facts: Partial<Omit<ClusterProfile, 'name'>> & { readonly storageClass: string }): ClusterProfile {
  return Object.freeze({ ...K3S, ...facts, name: 'generic' });
}

/** Where the root of a construct tree keeps its profile (a global symbol, the same in every copy of the package). */
const PROFILE = Symbol.for('cdk8s-homelab.clusterProfile');

/** Sets the cluster profile of the tree of `root` (HomelabApp does, from its props). */
export function setClusterProfile(root: IConstruct, profile: ClusterProfile): void {
  Object.defineProperty(root, PROFILE, { value: profile, configurable: true });
}

/** The cluster profile of the tree `scope` is in (K3s unless the App says otherwise). */
export function clusterProfileOf(scope: IConstruct): ClusterProfile {
  return (scope.node.root as unknown as Record<symbol, ClusterProfile | undefined>)[PROFILE] ?? K3S;
}
