import type { ClusterContext } from '../../core/cluster-check';
import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, containersOf, namespaceOf, podTemplates } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { traefikSettings } from '../../core/traefik-settings';
import { isPort } from '../../core/value-rules';

/**
 * Ports out of range: Service ports, container ports and the ports routes
 * send traffic to (the schema only knows they are int32).
 */
export function portRanges(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const checkPort = (o: SynthesizedObject, field: string, value: unknown) => {
    if (typeof value === 'number' && !isPort(value)) {
      problems.push(objectProblem(o, field, value, 'is not a port number', 'use an integer from 1 to 65535'));
    }
  };
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind === 'Service') {
      for (const [i, p] of asList(asObj(m.spec).ports).entries()) {
        checkPort(o, `spec.ports[${i}].port`, p.port);
        checkPort(o, `spec.ports[${i}].targetPort`, p.targetPort);
        if (p.nodePort !== undefined) {
          checkPort(o, `spec.ports[${i}].nodePort`, p.nodePort);
        }
      }
    }
    for (const t of podTemplates(m)) {
      for (const { field, container } of containersOf(t)) {
        for (const [i, p] of asList(container.ports).entries()) {
          checkPort(o, `${field}.ports[${i}].containerPort`, p.containerPort);
          if (p.hostPort !== undefined) {
            checkPort(o, `${field}.ports[${i}].hostPort`, p.hostPort);
          }
        }
      }
    }
    for (const [i, route] of asList(asObj(m.spec).routes).entries()) {
      if (m.kind !== 'IngressRoute' && m.kind !== 'IngressRouteTCP' && m.kind !== 'IngressRouteUDP') {
        break;
      }
      for (const [j, s] of asList(route.services).entries()) {
        checkPort(o, `spec.routes[${i}].services[${j}].port`, s.port);
      }
    }
  }
  return problems;
}

/**
 * With ServiceLB (K3s), a LoadBalancer Service takes its ports on every
 * node: two Services cannot share a port and protocol, nor take one of
 * Traefik's entry points (its own LoadBalancer Service).
 */
export function loadBalancerPorts(objects: readonly SynthesizedObject[], context: ClusterContext): Problem[] {
  if (context.serviceLb !== true) {
    return [];
  }
  const taken = new Map<string, string>();
  for (const [name, e] of Object.entries(traefikSettings(objects).entryPoints)) {
    taken.set(`${e.port}/${e.protocol}`, `Traefik's LoadBalancer Service (entry point ${name})`);
  }
  const problems: Problem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind !== 'Service' || asObj(m.spec).type !== 'LoadBalancer' || isTraefikService(o)) {
      continue;
    }
    for (const [i, p] of asList(asObj(m.spec).ports).entries()) {
      const key = `${String(p.port)}/${String(p.protocol ?? 'TCP')}`;
      const first = taken.get(key);
      if (first === undefined) {
        taken.set(key, `Service ${namespaceOf(m)}/${String(m.metadata.name)}`);
        continue;
      }
      problems.push(
        objectProblem(
          o,
          `spec.ports[${i}].port`,
          p.port,
          `is already taken on every node by ${first}: ServiceLB gives LoadBalancer Services the nodes' addresses, so one ${String(p.protocol ?? 'TCP')} port serves one Service`,
          'give the Service another port, route it through a Traefik entry point instead, or use MetalLB (an address per Service)',
        ),
      );
    }
  }
  return problems;
}

/** Whether a Service is Traefik's own (already counted by its entry points). */
function isTraefikService(o: SynthesizedObject): boolean {
  return o.manifest.metadata.name === 'traefik' && asObj(asObj(o.manifest.spec).selector)['app.kubernetes.io/name'] === 'traefik';
}

/** Node ports: every node listens on each one, so two Services of the cluster cannot take the same. */
export function nodePorts(objects: readonly SynthesizedObject[]): Problem[] {
  const taken = new Map<number, string>();
  const problems: Problem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind !== 'Service') {
      continue;
    }
    for (const [i, p] of asList(asObj(m.spec).ports).entries()) {
      if (typeof p.nodePort !== 'number') {
        continue;
      }
      const owner = `Service ${String(m.metadata.namespace ?? 'default')}/${String(m.metadata.name)}`;
      const first = taken.get(p.nodePort);
      if (first === undefined) {
        taken.set(p.nodePort, owner);
      } else {
        problems.push(
          objectProblem(
            o,
            `spec.ports[${i}].nodePort`,
            p.nodePort,
            `is already the node port of ${first}`,
            'give each Service its own node port, or let Kubernetes pick one',
          ),
        );
      }
    }
  }
  return problems;
}
