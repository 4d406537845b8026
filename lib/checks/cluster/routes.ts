import { type ClusterContext, DEFAULT_INGRESS_CONTROLLER, type PodIdentity } from '../../core/cluster-check';
import type { Manifest, SynthesizedObject } from '../../core/manifest';
import { asList, asObj, namespaceOf, type Obj, providedServicesOf } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { parseRule } from '../../core/route-rules';
import { type TraefikSettings, traefikSettings } from '../../core/traefik-settings';
import { isHostname } from '../../core/value-rules';
import { ingressAllowed } from './network-reach';
import { portLabel } from './port-label';

/** One host (and path) a route claims on one entry point. */
interface Claim {
  readonly o: SynthesizedObject;
  readonly field: string;
  readonly entryPoint: string;
  readonly host: string;
  readonly path: string;
}

function routeClaims(objects: readonly SynthesizedObject[]): Claim[] {
  const claims: Claim[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind === 'IngressRoute') {
      const spec = asObj(m.spec);
      const entryPoints = Array.isArray(spec.entryPoints) && spec.entryPoints.length > 0 ? spec.entryPoints.map(String) : ['(every entry point)'];
      for (const [i, route] of asList(spec.routes).entries()) {
        const { hosts, paths } = parseRule(String(route.match ?? ''));
        for (const entryPoint of entryPoints) {
          for (const host of hosts) {
            for (const path of paths.length > 0 ? paths : ['']) {
              claims.push({ o, field: `spec.routes[${i}].match`, entryPoint, host, path });
            }
          }
        }
      }
    } else if (m.kind === 'HTTPRoute' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      claims.push(...httpRouteClaims(o));
    } else if (m.kind === 'Ingress') {
      for (const [i, rule] of asList(asObj(m.spec).rules).entries()) {
        if (typeof rule.host !== 'string') {
          continue;
        }
        for (const p of asList(asObj(rule.http).paths)) {
          for (const entryPoint of ['web', 'websecure']) {
            claims.push({
              o,
              field: `spec.rules[${i}].host`,
              entryPoint,
              host: rule.host,
              path: `${p.pathType === 'Exact' ? 'Path' : 'PathPrefix'}(${String(p.path ?? '/')})`,
            });
          }
        }
      }
    }
  }
  return claims;
}

/** What an HTTPRoute claims: each hostname (and path) on each listener of the Gateways it attaches to. */
function httpRouteClaims(o: SynthesizedObject): Claim[] {
  const spec = asObj(o.manifest.spec);
  const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames.map(String) : [];
  const listeners = asList(spec.parentRefs).map(
    (p) => `gateway ${String(p.namespace ?? namespaceOf(o.manifest))}/${String(p.name ?? '')}${p.sectionName ? `/${String(p.sectionName)}` : ''}`,
  );
  const paths = asList(spec.rules).flatMap((r) => asList(r.matches).map((m) => String(asObj(m.path).value ?? '/')));
  const claims: Claim[] = [];
  for (const entryPoint of listeners) {
    for (const [i, host] of hostnames.entries()) {
      for (const path of paths.length > 0 ? [...new Set(paths)] : ['']) {
        claims.push({ o, field: `spec.hostnames[${i}]`, entryPoint, host, path });
      }
    }
  }
  return claims;
}

/**
 * Route hosts: every `Host()` is a valid DNS name, and no two routes claim
 * the same host and path on the same entry point (Traefik would pick one
 * silently).
 */
export function routeHosts(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const owners = new Map<string, Claim>();
  const entryPoints = new Set<string>(); // of the owners, in the order first claimed
  const reportedHosts = new Set<string>();
  for (const c of routeClaims(objects)) {
    // An HTTPRoute's hostnames are checked by its schema (which takes wildcards).
    if (c.o.manifest.kind !== 'HTTPRoute' && !isHostname(c.host) && !reportedHosts.has(`${c.o.path}|${c.host}`)) {
      reportedHosts.add(`${c.o.path}|${c.host}`);
      problems.push(objectProblem(c.o, c.field, c.host, 'is not a valid DNS name', 'use lowercase labels of letters, digits and "-" separated by single dots'));
    }
    const everyEntryPoint = c.entryPoint === '(every entry point)';
    for (const key of everyEntryPoint ? [...entryPoints, c.entryPoint] : [c.entryPoint, '(every entry point)']) {
      const first = owners.get(`${key}|${c.host}|${c.path}`);
      if (first && first.o !== c.o) {
        problems.push(
          objectProblem(
            c.o,
            c.field,
            c.host,
            `is already routed${c.path ? ` for ${c.path}` : ''} on entry point ${c.entryPoint} by ${first.o.manifest.kind} ${namespaceOf(first.o.manifest)}/${first.o.manifest.metadata.name} (at ${first.o.path})`,
            'serve each host (and path) from one app only',
          ),
        );
        break;
      }
    }
    const own = `${c.entryPoint}|${c.host}|${c.path}`;
    if (!owners.has(own)) {
      owners.set(own, c);
      entryPoints.add(c.entryPoint);
    }
  }
  return problems;
}

/**
 * References of Traefik routes: each Service (name, namespace, port), each
 * TraefikService and each Middleware exists in the synthesized cluster, and
 * crosses namespaces only when Traefik allows it.
 */
export function routeReferences(objects: readonly SynthesizedObject[], context: ClusterContext): Problem[] {
  const index = new Map<string, Manifest>();
  for (const o of objects) {
    index.set(`${o.manifest.kind}|${namespaceOf(o.manifest)}|${o.manifest.metadata.name}`, o.manifest);
  }
  const traefik = traefikSettings(objects);
  const refs: RouteRefs = {
    index,
    provided: providedServices(objects),
    allowCrossNamespace: context.allowCrossNamespace === true || traefik.allowCrossNamespace,
    allowExternalNameServices: traefik.allowExternalNameServices,
    policies: policiesByNamespace(objects),
    ingressController: context.ingressController ?? DEFAULT_INGRESS_CONTROLLER,
    problems: [],
  };
  for (const o of objects) {
    const m = o.manifest;
    const spec = asObj(m.spec);
    if (m.kind === 'Middleware') {
      checkMiddlewareRefs(refs, o, 'spec.chain.middlewares', asList(asObj(spec.chain).middlewares));
    }
    if (m.kind === 'HTTPRoute' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      for (const [i, rule] of asList(spec.rules).entries()) {
        for (const [j, backend] of asList(rule.backendRefs).entries()) {
          if ((backend.kind ?? 'Service') === 'Service' && (backend.group ?? '') === '') {
            checkServiceRef(refs, o, `spec.rules[${i}].backendRefs[${j}]`, { name: backend.name, namespace: backend.namespace, port: backend.port }, false);
          }
        }
      }
      continue;
    }
    if (m.kind === 'IngressRouteTCP' || m.kind === 'IngressRouteUDP') {
      const protocol = m.kind === 'IngressRouteUDP' ? 'UDP' : 'TCP';
      checkEntryPoints(refs, o, traefik, protocol);
      for (const [i, route] of asList(spec.routes).entries()) {
        for (const [j, service] of asList(route.services).entries()) {
          checkServiceRef(refs, o, `spec.routes[${i}].services[${j}]`, service, true, protocol);
        }
      }
      continue;
    }
    if (m.kind !== 'IngressRoute') {
      continue;
    }
    checkEntryPoints(refs, o, traefik, 'TCP');
    for (const [i, route] of asList(spec.routes).entries()) {
      checkMiddlewareRefs(refs, o, `spec.routes[${i}].middlewares`, asList(route.middlewares));
      for (const [j, service] of asList(route.services).entries()) {
        checkServiceRef(refs, o, `spec.routes[${i}].services[${j}]`, service);
      }
    }
  }
  return refs.problems;
}

/**
 * The entry points of a Traefik route are declared, for its protocol, by the
 * Traefik configuration of the output (when there is one).
 */
function checkEntryPoints(refs: RouteRefs, o: SynthesizedObject, traefik: TraefikSettings, protocol: 'TCP' | 'UDP'): void {
  if (!traefik.present) {
    return;
  }
  const entryPoints = asObj(o.manifest.spec).entryPoints;
  for (const [i, entryPoint] of (Array.isArray(entryPoints) ? entryPoints : []).entries()) {
    const declared = traefik.entryPoints[String(entryPoint)]?.protocol;
    if (declared === protocol) {
      continue;
    }
    refs.problems.push(
      objectProblem(
        o,
        `spec.entryPoints[${i}]`,
        entryPoint,
        declared === undefined
          ? `is not an entry point of the Traefik configuration (it has ${Object.keys(traefik.entryPoints).join(', ')})`
          : `is a ${declared} entry point, and a ${o.manifest.kind} needs a ${protocol} one`,
        `declare it in TraefikConfig entryPoints, e.g. { name: '${String(entryPoint)}', port: 53, protocol: '${protocol}' }`,
      ),
    );
  }
}

/** What the reference checks of routes know of the cluster, and the problems they found. */
interface RouteRefs {
  /** Every object by `kind|namespace|name`. */
  readonly index: Map<string, Manifest>;
  /** The ports of the Services charts install, by `namespace/name`. */
  readonly provided: Map<string, string[]>;
  readonly allowCrossNamespace: boolean;
  readonly allowExternalNameServices: boolean;
  /** The NetworkPolicies of each namespace. */
  readonly policies: ReadonlyMap<string, readonly Manifest[]>;
  readonly ingressController: PodIdentity;
  readonly problems: Problem[];
}

/** A reference from `o` into namespace `ns`, which Traefik refuses unless allowed. */
function checkNamespace(refs: RouteRefs, o: SynthesizedObject, field: string, ns: string, what: string): void {
  if (ns !== namespaceOf(o.manifest) && !refs.allowCrossNamespace) {
    refs.problems.push(
      objectProblem(
        o,
        field,
        `${ns}/${what}`,
        `is in another namespace than the ${o.manifest.kind} (${namespaceOf(o.manifest)}), and Traefik refuses cross-namespace references by default`,
        'move them into one namespace, or allow cross-namespace references in the Traefik configuration',
      ),
    );
  }
}

/** Each Middleware a route or chain names exists (unless it names another provider, `name@provider`). */
function checkMiddlewareRefs(refs: RouteRefs, o: SynthesizedObject, field: string, list: readonly Obj[]): void {
  for (const [k, ref] of list.entries()) {
    const name = String(ref.name ?? '');
    if (name.includes('@')) {
      continue; // name@provider: defined outside Kubernetes (file provider, another CRD provider)
    }
    const ns = typeof ref.namespace === 'string' ? ref.namespace : namespaceOf(o.manifest);
    if (!refs.index.has(`Middleware|${ns}|${name}`)) {
      refs.problems.push(
        objectProblem(
          o,
          `${field}[${k}]`,
          `${ns}/${name}`,
          'is not a Middleware of the cluster',
          `define Middleware "${name}" in namespace "${ns}", or fix the reference`,
        ),
      );
    }
    checkNamespace(refs, o, `${field}[${k}]`, ns, name);
  }
}

/** The Service (or TraefikService) a route sends to exists, in the output or installed by a chart, with that port. */
function checkServiceRef(refs: RouteRefs, o: SynthesizedObject, field: string, s: Obj, traefik = true, protocol = 'TCP'): void {
  const name = String(s.name ?? '');
  const ns = typeof s.namespace === 'string' ? s.namespace : namespaceOf(o.manifest);
  const kind = s.kind === 'TraefikService' ? 'TraefikService' : 'Service';
  if (name.includes('@')) {
    return;
  }
  const target = refs.index.get(`${kind}|${ns}|${name}`);
  const chartPorts = kind === 'Service' ? refs.provided.get(`${ns}/${name}`) : undefined;
  if (chartPorts) {
    if (s.port !== undefined && !chartPorts.includes(String(s.port))) {
      refs.problems.push(
        objectProblem(o, `${field}.port`, s.port, `is not a port of Service ${ns}/${name} (installed by a chart)`, `use one of ${chartPorts.join(', ')}`),
      );
    }
  } else if (!target) {
    refs.problems.push(
      objectProblem(
        o,
        `${field}.name`,
        `${ns}/${name}`,
        `is not a ${kind} of the cluster`,
        `define ${kind} "${name}" in namespace "${ns}", or fix the reference`,
      ),
    );
  } else if (kind === 'Service' && asObj(target.spec).type === 'ExternalName' && !refs.allowExternalNameServices) {
    refs.problems.push(
      objectProblem(
        o,
        `${field}.name`,
        `${ns}/${name}`,
        'is an ExternalName Service, which Traefik refuses as a backend unless allowed',
        'set allowExternalNameServices: true in the TraefikConfig',
      ),
    );
  } else if (kind === 'Service' && s.port !== undefined) {
    const ports = asList(asObj(target.spec).ports);
    const found = ports.find((p) => (p.protocol ?? 'TCP') === protocol && (typeof s.port === 'number' ? p.port === s.port : p.name === s.port));
    if (found) {
      checkReachable(refs, o, field, target, found, protocol);
    } else {
      refs.problems.push(
        objectProblem(
          o,
          `${field}.port`,
          s.port,
          `is not a ${protocol === 'UDP' ? 'UDP ' : ''}port of Service ${ns}/${name}`,
          `use one of ${ports
            .filter((p) => (p.protocol ?? 'TCP') === protocol)
            .map((p) => portLabel(p.port, p.name))
            .join(', ')}`,
        ),
      );
    }
  }
  if (traefik) {
    checkNamespace(refs, o, `${field}.namespace`, ns, name); // Gateway API crosses namespaces by ReferenceGrant instead
  }
}

/**
 * The NetworkPolicies of the backend's namespace let the ingress controller
 * reach its pods: else the route is refused at run time (e.g. a route to an
 * app whose namespace only takes traffic from its own apps).
 */
function checkReachable(refs: RouteRefs, o: SynthesizedObject, field: string, service: Manifest, port: Obj, protocol: string): void {
  const selector = asObj(asObj(service.spec).selector);
  if (Object.keys(selector).length === 0) {
    return; // endpoints of its own: no pods to know
  }
  const ns = namespaceOf(service);
  const targetPort = typeof port.targetPort === 'number' || typeof port.targetPort === 'string' ? port.targetPort : Number(port.port);
  const policies = refs.policies.get(ns) ?? [];
  if (!ingressAllowed(policies, selector as Record<string, string>, targetPort, refs.ingressController, protocol)) {
    const controller = refs.ingressController;
    refs.problems.push(
      objectProblem(
        o,
        `${field}.name`,
        `${ns}/${service.metadata.name}`,
        `is not reachable by the ingress controller: the NetworkPolicies of namespace ${ns} (${policies.map((p) => p.metadata.name).join(', ')}) let no traffic in from ${controller.namespace}/${Object.entries(
          controller.labels,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(',')} on ${protocol === 'UDP' ? 'UDP ' : ''}port ${targetPort}`,
        'expose that app (e.g. expose: "https", or allow the ingress controller in its NetworkPolicies), or route to another Service',
      ),
    );
  }
}

function policiesByNamespace(objects: readonly SynthesizedObject[]): Map<string, Manifest[]> {
  const byNamespace = new Map<string, Manifest[]>();
  for (const { manifest } of objects) {
    if (manifest.kind === 'NetworkPolicy' && manifest.apiVersion === 'networking.k8s.io/v1') {
      const ns = namespaceOf(manifest);
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), manifest]);
    }
  }
  return byNamespace;
}

/** The Services that charts of the output say they create: `ns/name` -> ports. */
function providedServices(objects: readonly SynthesizedObject[]): Map<string, string[]> {
  const provided = new Map<string, string[]>();
  for (const o of objects) {
    for (const { namespace, name, ports } of providedServicesOf(o.manifest)) {
      provided.set(`${namespace}/${name}`, ports.map(String));
    }
  }
  return provided;
}
