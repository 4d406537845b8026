import type { PodIdentity } from '../../core/cluster-check';
import type { Manifest } from '../../core/manifest';
import { asList, asObj, type Obj } from '../../core/manifest-fields';

/**
 * Whether the NetworkPolicies of a namespace let `from` open a connection to
 * the pods labelled `podLabels` on `port` (a number or a port name), as the
 * API server's semantics say: pods no ingress policy selects take any
 * traffic; selected pods take what one of the selecting policies allows.
 * What cannot be known from the manifests alone (matchExpressions, ipBlock,
 * a port name against a number) counts as allowed: the check never cries wolf.
 */
export function ingressAllowed(
  policies: readonly Manifest[],
  podLabels: Readonly<Record<string, string>>,
  port: number | string,
  from: PodIdentity,
  protocol = 'TCP',
): boolean {
  const selecting = policies.filter((p) => isIngressPolicy(p) && selects(asObj(asObj(p.spec).podSelector), podLabels));
  if (selecting.length === 0) {
    return true;
  }
  return selecting.some((p) => asList(asObj(p.spec).ingress).some((rule) => ruleAllows(rule, String(p.metadata.namespace ?? ''), port, from, protocol)));
}

function isIngressPolicy(p: Manifest): boolean {
  const types = asObj(p.spec).policyTypes;
  // Without policyTypes a policy is an ingress policy (and an egress one too when it has egress rules).
  return !Array.isArray(types) || types.includes('Ingress');
}

/** Whether a label selector selects `labels` (true when it cannot be known here: matchExpressions). */
function selects(selector: Obj, labels: Readonly<Record<string, string>>): boolean {
  if (asList(selector.matchExpressions).length > 0) {
    return true;
  }
  return Object.entries(asObj(selector.matchLabels)).every(([k, v]) => labels[k] === v);
}

function ruleAllows(rule: Obj, policyNamespace: string, port: number | string, from: PodIdentity, protocol: string): boolean {
  const ports = asList(rule.ports);
  const portOk =
    ports.length === 0 || ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || typeof p.port !== typeof port || p.port === port));
  const peers = asList(rule.from);
  return portOk && (peers.length === 0 || peers.some((peer) => peerMatches(peer, policyNamespace, from)));
}

function peerMatches(peer: Obj, policyNamespace: string, from: PodIdentity): boolean {
  if (peer.ipBlock !== undefined) {
    return true; // pod addresses are not known here
  }
  const namespaceOk =
    peer.namespaceSelector === undefined
      ? from.namespace === policyNamespace
      : selects(asObj(peer.namespaceSelector), { 'kubernetes.io/metadata.name': from.namespace });
  const podOk = peer.podSelector === undefined || selects(asObj(peer.podSelector), from.labels);
  return namespaceOk && podOk;
}
