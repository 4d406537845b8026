import type { IConstruct } from 'constructs';
import { type PropNameProblem, type PropNames, shapeProblems } from './prop-names';
import { RootValue } from './root-values';
import { isDnsSubdomain, isGoDuration } from './value-rules';

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
  /**
   * The ports of the app they may reach.
   * @default - the app's port
   */
  readonly ports?: number[];
}

/** The cert-manager issuer that signs an app's certificate. */
export interface CertManagerIssuer {
  /** The issuer's name, e.g. `letsencrypt` or `homelab-ca`. */
  readonly issuer: string;
  /**
   * A ClusterIssuer (any namespace), or an Issuer of the app's namespace.
   * @default 'ClusterIssuer'
   */
  readonly kind?: 'ClusterIssuer' | 'Issuer';
}

/** The prop names of {@link CertManagerIssuer}, to find unknown ones at run time. */
export const CERT_MANAGER_ISSUER_FIELDS: PropNames<CertManagerIssuer> = { issuer: 'string', kind: 'string?' };

/** The Gateway (Gateway API) an app's HTTPRoutes attach to, and its listeners. */
export interface GatewayRef {
  /** The Gateway's name. */
  readonly name: string;
  /** The Gateway's namespace (its listeners must allow routes from the app's namespace). */
  readonly namespace: string;
  /**
   * The listener that serves HTTPS (TLS ends there, with the Gateway's certificate).
   * @default 'websecure'
   */
  readonly httpsListener?: string;
  /**
   * The plain HTTP listener, whose requests are redirected to HTTPS.
   * @default 'web'
   */
  readonly httpListener?: string;
}

/** The prop names of {@link GatewayRef}, to find unknown ones at run time. */
export const GATEWAY_REF_FIELDS: PropNames<GatewayRef> = { name: 'string', namespace: 'string', httpsListener: 'string?', httpListener: 'string?' };

/** How the cluster installs Helm charts. */
export interface HelmInstaller {
  /**
   * `helm-controller` (K3s, RKE2: a `HelmChart` object per chart) or `flux`
   * (Flux's helm-controller: a `HelmRelease` and the `HelmRepository` it reads).
   */
  readonly kind: 'helm-controller' | 'flux';
  /** The namespace of those objects (helm-controller reads them in every namespace; Flux's are usually in `flux-system`). */
  readonly namespace: string;
  /**
   * How often Flux compares the release and the repository with the cluster, as a duration (`10m`, `1h`).
   * @default '1h' (FLUX.interval)
   */
  readonly interval?: string;
}

/** K3s's (and RKE2's) helm-controller: `HelmChart` objects in kube-system. */
export const HELM_CONTROLLER: HelmInstaller = Object.freeze({ kind: 'helm-controller', namespace: 'kube-system' });

/** Flux's helm-controller and source-controller: `HelmRelease` + `HelmRepository` in flux-system, checked hourly. */
export const FLUX: HelmInstaller = Object.freeze({ kind: 'flux', namespace: 'flux-system', interval: '1h' });

/**
 * The facts of a kind of cluster that every app would otherwise repeat: how
 * requests come in, where volumes go, how charts are installed. Given once on
 * the App (`HomelabApp({ profile })`); the constructs read their defaults from it.
 */
export interface ClusterProfile {
  /** The profile's name, e.g. `k3s`. */
  readonly name: string;
  /** The storage class of volumes that name none. */
  readonly storageClass: string;
  /**
   * How an AppStack with no `expose` is reached: `https` (Traefik), `ingress`
   * (a standard Ingress) or `gateway` (an HTTPRoute on the profile's `gateway`).
   */
  readonly defaultExpose: 'https' | 'ingress' | 'gateway';
  /** Where Traefik's pods run (for `https`, `gateway` and `tcp` apps), to let them through NetworkPolicies. */
  readonly traefik: PeerPods;
  /**
   * Whether the cluster comes with Traefik (K3s): TraefikConfig then
   * configures it (a HelmChartConfig) instead of installing its chart into
   * the `traefik` namespace above.
   */
  readonly bundledTraefik: boolean;
  /** The ingress class of standard Ingresses (`expose: 'ingress'`). */
  readonly ingressClassName: string;
  /** Where the pods of the standard Ingress controller run. */
  readonly ingressController: PeerPods;
  /** How Helm charts are installed (K3sHelmChart, FluxHelmRelease, or HelmChartRelease choosing). */
  readonly helm: HelmInstaller;
  /**
   * What gives LoadBalancer Services their address: `servicelb` (K3s's
   * ServiceLB: the nodes' addresses, no pools), `metallb` (pools of
   * addresses, see MetalLbPool) or `none`.
   */
  readonly loadBalancer: 'servicelb' | 'metallb' | 'none';
  /**
   * The cert-manager issuer of the certificates of apps that name no source
   * of their own (no `certResolver`, `certManager` nor `tlsSecretName`), e.g.
   * the ClusterIssuer of MicroK8s's cert-manager addon.
   * @default - none: Traefik routes ask Traefik's resolver (`letsencrypt`), Ingresses name their Secret
   */
  readonly certManager?: CertManagerIssuer;
  /**
   * The Gateway API gateway of apps with `expose: 'gateway'` that name none.
   * @default - none: each such app names its gateway
   */
  readonly gateway?: GatewayRef;
}

/** The facts of a profile that a cluster may change (everything but its name). */
export type ProfileFacts = Partial<Omit<ClusterProfile, 'name'>>;

/** The prop names of {@link ClusterProfile}, to find unknown ones at run time. */
export const CLUSTER_PROFILE_FIELDS: PropNames<ClusterProfile> = {
  name: 'string',
  storageClass: 'string',
  defaultExpose: 'string',
  traefik: 'object',
  bundledTraefik: 'boolean',
  ingressClassName: 'string',
  ingressController: 'object',
  helm: 'object',
  loadBalancer: 'string',
  certManager: 'object?',
  gateway: 'object?',
};

const INGRESS_NGINX: PeerPods = Object.freeze({
  namespace: 'ingress-nginx',
  podSelector: Object.freeze({ 'app.kubernetes.io/name': 'ingress-nginx' }),
  name: 'ingress-controller',
});

/** Traefik installed from its chart (TraefikConfig does so where the cluster has none): namespace `traefik`. */
const CHART_TRAEFIK: PeerPods = Object.freeze({ namespace: 'traefik', podSelector: Object.freeze({ 'app.kubernetes.io/name': 'traefik' }), name: 'traefik' });

function profile(name: string, defaults: Omit<ClusterProfile, 'name'>, facts: ProfileFacts | undefined): ClusterProfile {
  return Object.freeze({ ...defaults, ...facts, name });
}

/**
 * K3s as it installs itself: Traefik in kube-system (configured by
 * TraefikConfig), the local-path provisioner, helm-controller, ServiceLB.
 * Give the facts your cluster changes, e.g. `k3s({ loadBalancer: 'metallb' })`
 * when ServiceLB is disabled for MetalLB.
 */
export function k3s(facts?: ProfileFacts): ClusterProfile {
  return profile(
    'k3s',
    {
      storageClass: 'local-path',
      defaultExpose: 'https',
      traefik: Object.freeze({ namespace: 'kube-system', podSelector: Object.freeze({ 'app.kubernetes.io/name': 'traefik' }), name: 'traefik' }),
      bundledTraefik: true,
      ingressClassName: 'nginx',
      ingressController: INGRESS_NGINX,
      helm: HELM_CONTROLLER,
      loadBalancer: 'servicelb',
    },
    facts,
  );
}

/**
 * MicroK8s with its addons: ingress (NGINX, class `public`, namespace
 * `ingress`), hostpath-storage, metallb, and the community fluxcd addon
 * for Helm charts (MicroK8s has no helm-controller).
 */
export function microk8s(facts?: ProfileFacts): ClusterProfile {
  return profile(
    'microk8s',
    {
      storageClass: 'microk8s-hostpath',
      defaultExpose: 'ingress',
      traefik: CHART_TRAEFIK,
      bundledTraefik: false,
      ingressClassName: 'public',
      ingressController: Object.freeze({ namespace: 'ingress', podSelector: Object.freeze({ name: 'nginx-ingress-microk8s' }), name: 'ingress-controller' }),
      helm: FLUX,
      loadBalancer: 'metallb',
    },
    facts,
  );
}

/**
 * A cluster built by hand (Talos, kubeadm): its storage class, and the rest
 * as such clusters are usually set up, unless given: Traefik installed from
 * its chart into `traefik` (TraefikConfig does it), ingress-nginx for
 * standard Ingresses, charts through Flux, MetalLB for LoadBalancer Services.
 */
export function genericProfile(facts: ProfileFacts & { readonly storageClass: string }): ClusterProfile {
  return profile(
    'generic',
    {
      storageClass: facts.storageClass,
      defaultExpose: 'https',
      traefik: CHART_TRAEFIK,
      bundledTraefik: false,
      ingressClassName: 'nginx',
      ingressController: INGRESS_NGINX,
      helm: FLUX,
      loadBalancer: 'metallb',
    },
    facts,
  );
}

/** K3s as it installs itself (`k3s()`). The default. */
export const K3S: ClusterProfile = k3s();

/** MicroK8s with its ingress, hostpath-storage and metallb addons (`microk8s()`). */
export const MICROK8S: ClusterProfile = microk8s();

/** The cluster profile of a construct tree. */
const CLUSTER_PROFILE = new RootValue<ClusterProfile>('clusterProfile');

/** Sets the cluster profile of the tree of `root` (HomelabApp does, from its props). */
export function setClusterProfile(root: IConstruct, profile: ClusterProfile): void {
  CLUSTER_PROFILE.set(root, profile);
}

/** The cluster profile of the tree `scope` is in (K3s unless the App says otherwise). */
export function clusterProfileOf(scope: IConstruct): ClusterProfile {
  return CLUSTER_PROFILE.get(scope) ?? K3S;
}

const PEER_PODS_FIELDS: PropNames<PeerPods> = { namespace: 'string', podSelector: 'object?', name: 'string?', ports: 'list?' };
const HELM_INSTALLER_FIELDS: PropNames<HelmInstaller> = { kind: 'string', namespace: 'string', interval: 'string?' };

/** What is wrong with a profile made by hand (`field` names it in the messages): unknown or missing facts, values out of their set. */
export function profileProblems(field: string, p: ClusterProfile): PropNameProblem[] {
  const problems = shapeProblems(field, p, CLUSTER_PROFILE_FIELDS, 'ClusterProfile');
  if (problems.length > 0) {
    return problems;
  }
  problems.push(
    ...shapeProblems(`${field}.traefik`, p.traefik, PEER_PODS_FIELDS, 'PeerPods'),
    ...shapeProblems(`${field}.ingressController`, p.ingressController, PEER_PODS_FIELDS, 'PeerPods'),
    ...shapeProblems(`${field}.helm`, p.helm, HELM_INSTALLER_FIELDS, 'HelmInstaller'),
  );
  const oneOf = (name: string, value: unknown, allowed: readonly string[]): void => {
    if (!allowed.includes(value as string)) {
      problems.push({ field: `${field}.${name}`, value, message: `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}` });
    }
  };
  oneOf('defaultExpose', p.defaultExpose, ['https', 'ingress', 'gateway']);
  if (p.defaultExpose === 'gateway' && p.gateway === undefined) {
    problems.push({
      field: `${field}.gateway`,
      value: undefined,
      message: 'is required with defaultExpose: "gateway"',
      fix: 'name the Gateway of the apps, e.g. gateway: { name: "public", namespace: "gateway" }',
    });
  }
  problems.push(...shapeProblems(`${field}.gateway`, p.gateway, GATEWAY_REF_FIELDS, 'GatewayRef'));
  oneOf('loadBalancer', p.loadBalancer, ['servicelb', 'metallb', 'none']);
  oneOf('helm.kind', p.helm?.kind, ['helm-controller', 'flux']);
  if (p.certManager !== undefined) {
    problems.push(...shapeProblems(`${field}.certManager`, p.certManager, CERT_MANAGER_ISSUER_FIELDS, 'CertManagerIssuer'));
    if (!isDnsSubdomain(String(p.certManager.issuer))) {
      problems.push({ field: `${field}.certManager.issuer`, value: p.certManager.issuer, message: 'is not a valid issuer name' });
    }
    if (p.certManager.kind !== undefined) {
      oneOf('certManager.kind', p.certManager.kind, ['ClusterIssuer', 'Issuer']);
    }
  }
  if (p.helm?.interval !== undefined && !isGoDuration(p.helm.interval)) {
    problems.push({ field: `${field}.helm.interval`, value: p.helm.interval, message: 'is not a duration', fix: 'write e.g. 10m or 1h' });
  }
  return problems;
}
