import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { clusterProfileOf, K3S } from '../core/cluster-profile';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel } from '../core/value-rules';
import { ManifestObject } from './manifest-object';
import type { ProtocolPort } from './workload/workload';

/** Pods of another namespace allowed to reach the app. */
export interface NetworkPeer {
  /** Their namespace. */
  readonly namespace: string;
  /**
   * Their pod labels.
   * @default - every pod of the namespace
   */
  readonly podSelector?: Record<string, string>;
  /**
   * The name of the allow rule: `allow-from-<name>`.
   * @default - the namespace
   */
  readonly name?: string;
  /**
   * The ports of the app they may reach (a number is a TCP port).
   * @default - the app's port
   */
  readonly ports?: (number | ProtocolPort)[];
}

/** The prop names of {@link NetworkPeer}, to find unknown ones at run time. */
export const NETWORK_PEER_FIELDS: PropNames<NetworkPeer> = { namespace: 'string', podSelector: 'object?', name: 'string?', ports: 'list?' };

/** Traefik as K3s runs it: in `kube-system`, with the label `app.kubernetes.io/name: traefik` (the K3S profile's). */
export const K3S_TRAEFIK: NetworkPeer = K3S.traefik;

/** Props of {@link AppNetworkPolicy}. */
export interface AppNetworkPolicyProps {
  /** The namespace the policies isolate. */
  readonly namespace: string;
  /** The labels of the app's pods. */
  readonly podSelector: Record<string, string>;
  /**
   * The container port the allowed traffic goes to.
   * @default - none: only peers that name their own ports may be let in
   */
  readonly port?: number;
  /**
   * Where the ingress controller runs, to let it reach the app (`false` for
   * an app it never reaches). K3s runs Traefik in `kube-system` with the label
   * `app.kubernetes.io/name: traefik`.
   * @default - the cluster profile's Traefik (K3S_TRAEFIK on K3s: { namespace: 'kube-system', podSelector: { 'app.kubernetes.io/name': 'traefik' }, name: 'traefik' })
   */
  readonly ingressController?: NetworkPeer | false;
  /**
   * What the allow rules' names start with, for apps that share a namespace (`jellyfin-` gives `jellyfin-allow-from-traefik`).
   * @default - none: `allow-from-<peer>`
   */
  readonly namePrefix?: string;
  /**
   * Whether to emit the namespace's default-deny ingress policy (once per namespace).
   * @default true
   */
  readonly denyAll?: boolean;
  /**
   * Let any client reach the app's port (`true`) or the given ports (an app
   * on a LoadBalancer or node port of every node).
   * @default false
   */
  readonly allowFromAnywhere?: boolean | (number | ProtocolPort)[];
  /**
   * Other pods allowed to reach the app (e.g. an app reaching its database).
   * @default - none
   */
  readonly allowFrom?: NetworkPeer[];
  /**
   * Labels of the NetworkPolicy objects.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppNetworkPolicyProps}, to find unknown ones at run time. */
const APP_NETWORK_POLICY_PROPS_FIELDS: PropNames<AppNetworkPolicyProps> = {
  namespace: 'string',
  podSelector: 'object',
  port: 'number?',
  namePrefix: 'string?',
  ingressController: 'any?',
  denyAll: 'boolean?',
  allowFromAnywhere: 'any?',
  allowFrom: 'list?',
  labels: 'object?',
};

/**
 * Network isolation of an app's namespace: a default-deny ingress policy,
 * an allow rule for the ingress controller to the app's port, and one for
 * each peer the app declares. (Egress stays open, DNS included.) K3s enforces
 * NetworkPolicies with its embedded controller.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class AppNetworkPolicy extends Construct {
  /** The default-deny ingress policy, if emitted. */
  public readonly denyAll?: ManifestObject;
  /** The allow rules: the ingress controller first, then each peer. */
  public readonly allows: readonly ManifestObject[];

  constructor(scope: Construct, id: string, props: AppNetworkPolicyProps) {
    super(scope, id);
    const controller = props.ingressController ?? clusterProfileOf(this).traefik;
    const peers = [...(controller ? [controller] : []), ...(props.allowFrom ?? [])];
    const prefix = props.namePrefix ?? '';
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_NETWORK_POLICY_PROPS_FIELDS, 'AppNetworkPolicy');
    checker.checkShape('props.ingressController', props.ingressController || undefined, NETWORK_PEER_FIELDS, 'NetworkPeer');
    checker.checkShapeOfEach('props.allowFrom', props.allowFrom, NETWORK_PEER_FIELDS, 'NetworkPeer');
    checker.throwIfIncomplete();
    if (props.port !== undefined) {
      checker.port('props.port', props.port);
    }
    checkPeers(checker, peers, controller !== false, props.port, prefix);
    if (Array.isArray(props.allowFromAnywhere)) {
      checkPolicyPorts(checker, 'props.allowFromAnywhere', props.allowFromAnywhere);
    }
    checker.reportProblems();

    const policy = (name: string, spec: Json<k8s.NetworkPolicySpec>) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: props.namespace, labels: props.labels },
      spec,
    });
    if (props.denyAll ?? true) {
      this.denyAll = new ManifestObject(this, 'DenyAll', policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }));
    }
    const anywherePorts = Array.isArray(props.allowFromAnywhere) ? props.allowFromAnywhere : props.port === undefined ? undefined : [props.port];
    const anywhere = props.allowFromAnywhere
      ? [
          new ManifestObject(
            this,
            'AllowAnywhere',
            policy(`${prefix}allow-from-anywhere`, {
              podSelector: { matchLabels: { ...props.podSelector } },
              policyTypes: ['Ingress'],
              ingress: [{ ports: anywherePorts?.map(policyPort) }],
            }),
          ),
        ]
      : [];
    this.allows = [
      ...anywhere,
      ...peers.map(
        (peer, i) =>
          new ManifestObject(
            this,
            i === 0 && controller ? 'AllowIngressController' : `Allow-${peer.name ?? peer.namespace}`,
            policy(`${prefix}allow-from-${peer.name ?? peer.namespace}`, {
              podSelector: { matchLabels: { ...props.podSelector } },
              policyTypes: ['Ingress'],
              ingress: [
                {
                  from: [
                    {
                      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
                      podSelector: peer.podSelector ? { matchLabels: { ...peer.podSelector } } : undefined,
                    },
                  ],
                  ports: (peer.ports ?? (props.port === undefined ? [] : [props.port])).map(policyPort),
                },
              ],
            }),
          ),
      ),
    ];
  }
}

/** Each peer: a valid namespace and policy name, used once, and a port to reach (its own, or the app's). */
function checkPeers(checker: PropChecker, peers: readonly NetworkPeer[], withController: boolean, appPort: number | undefined, prefix: string): void {
  const names = new Set<string>();
  for (const [i, peer] of peers.entries()) {
    const offset = withController ? 1 : 0;
    const field = i < offset ? 'props.ingressController' : `props.allowFrom[${i - offset}]`;
    checker.check(isDnsLabel(peer.namespace), `${field}.namespace`, peer.namespace, 'is not a valid namespace name');
    const name = `${prefix}allow-from-${peer.name ?? peer.namespace}`;
    checker.check(isDnsLabel(name), `${field}.name`, peer.name ?? peer.namespace, 'makes an invalid policy name', 'use a short lowercase name');
    checker.check(!names.has(name), `${field}.name`, name, 'is used twice', 'give each peer its own name');
    names.add(name);
    checker.check(
      appPort !== undefined || (peer.ports ?? []).length > 0,
      `${field}.ports`,
      peer.ports,
      'is needed: the app has no port to let them reach',
      'give the ports they may reach, or the app its port',
    );
    checkPolicyPorts(checker, `${field}.ports`, peer.ports);
  }
}

/** Ports a policy lets traffic in on: numbers, or ports with a TCP or UDP protocol. */
function checkPolicyPorts(checker: PropChecker, field: string, ports: readonly (number | ProtocolPort)[] | undefined): void {
  for (const [j, p] of (ports ?? []).entries()) {
    if (typeof p === 'number') {
      checker.port(`${field}[${j}]`, p);
    } else {
      checker.port(`${field}[${j}].port`, p.port);
      checker.check(['TCP', 'UDP'].includes(p.protocol ?? 'TCP'), `${field}[${j}].protocol`, p.protocol, 'must be "TCP" or "UDP"');
    }
  }
}

/** A port of a NetworkPolicy rule. */
function policyPort(p: number | ProtocolPort): { port: number; protocol: string } {
  return typeof p === 'number' ? { port: p, protocol: 'TCP' } : { port: p.port, protocol: p.protocol ?? 'TCP' };
}
