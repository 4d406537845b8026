import { ALLOW_FLOATING_TAG_ANNOTATION, KEEL_POLICY_ANNOTATION } from '../core/annotations';
import type { ClusterCheck, ClusterContext } from '../core/cluster-check';
import type { Manifest, SynthesizedObject } from '../core/manifest';
import { asList, asObj, containersOf, namespaceOf, type Obj, type PodTemplate, podTemplates, providedServicesOf } from '../core/manifest-fields';
import { objectProblem, type Problem } from '../core/problems';
import { parseRule } from '../core/route-rules';
import { traefikSettings } from '../core/traefik-settings';
import {
  certNameCovers,
  floatingImage,
  isDns1035Label,
  isDnsLabel,
  isDnsSubdomain,
  isHostname,
  isLabelKey,
  isLabelValue,
  isPort,
  parseImage,
} from '../core/value-rules';
import { SchemaValidator } from './schema-validator';

/** Strict schema validation of every object (Kubernetes 1.28 and the shipped CRDs). */
export function schemaCheck(validator?: SchemaValidator): ClusterCheck {
  return (objects) => {
    const v = validator ?? SchemaValidator.shipped(); // loaded when first needed, not when the app is built
    return objects.flatMap((o) => v.validate(o.manifest).map((i) => objectProblem(o, i.field, i.value, i.message, i.fix)));
  };
}

/** Two objects with the same apiVersion, kind, namespace and name: the second would overwrite the first. */
export function duplicateObjects(objects: readonly SynthesizedObject[]): Problem[] {
  const seen = new Map<string, SynthesizedObject>();
  const problems: Problem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    const key = `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name ?? ''}`;
    const first = seen.get(key);
    if (first) {
      problems.push(
        objectProblem(
          o,
          'metadata.name',
          m.metadata.name,
          `is already used by another ${m.kind} in namespace "${m.metadata.namespace ?? ''}" (at ${first.path})`,
          'give one of them another name or namespace',
        ),
      );
    } else {
      seen.set(key, o);
    }
  }
  return problems;
}

/** Names, namespaces, label keys and values, annotation keys that the API server would reject. */
export function nameSyntax(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    const { kind, metadata } = o.manifest;
    const name = metadata.name;
    if (typeof name !== 'string' || name.length === 0) {
      problems.push(objectProblem(o, 'metadata.name', name, 'is missing', 'give the object a name'));
    } else if (kind === 'Namespace' && !isDnsLabel(name)) {
      problems.push(
        objectProblem(o, 'metadata.name', name, 'is not a valid namespace name (DNS-1123 label)', 'use at most 63 lowercase letters, digits and "-"'),
      );
    } else if (kind === 'Service' && !isDns1035Label(name)) {
      problems.push(
        objectProblem(
          o,
          'metadata.name',
          name,
          'is not a valid Service name (DNS-1035 label)',
          'use at most 63 lowercase letters, digits and "-", starting with a letter',
        ),
      );
    } else if (!isDnsSubdomain(name)) {
      problems.push(objectProblem(o, 'metadata.name', name, 'is not a valid object name (DNS-1123 subdomain)', 'use lowercase letters, digits, "-" and "."'));
    }
    if (metadata.namespace !== undefined && !isDnsLabel(String(metadata.namespace))) {
      problems.push(
        objectProblem(o, 'metadata.namespace', metadata.namespace, 'is not a valid namespace name', 'use at most 63 lowercase letters, digits and "-"'),
      );
    }
    const labelSets: [string, unknown][] = [['metadata.labels', metadata.labels]];
    for (const t of podTemplates(o.manifest)) {
      labelSets.push([t.labelsField, t.labels]);
    }
    for (const [field, labels] of labelSets) {
      for (const [k, v] of Object.entries(asObj(labels))) {
        if (!isLabelKey(k)) {
          problems.push(
            objectProblem(o, `${field}`, k, 'is not a valid label key', 'use [prefix/]name: a DNS prefix and at most 63 letters, digits, "-", "_", "."'),
          );
        }
        if (typeof v !== 'string' || !isLabelValue(v)) {
          problems.push(
            objectProblem(
              o,
              `${field}["${k}"]`,
              v,
              'is not a valid label value',
              'use at most 63 letters, digits, "-", "_", ".", starting and ending alphanumeric',
            ),
          );
        }
      }
    }
    for (const k of Object.keys(asObj(metadata.annotations))) {
      if (!isLabelKey(k)) {
        problems.push(objectProblem(o, 'metadata.annotations', k, 'is not a valid annotation key'));
      }
    }
  }
  return problems;
}

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
 * Image references: valid syntax, and a pinned tag. An image without a tag
 * or tagged `latest` changes under the cluster's feet; it is an error unless
 * the workload is under Keel's automatic updates or says it is intended.
 */
export function imageReferences(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    const annotations = asObj(o.manifest.metadata.annotations);
    const floatingAllowed = annotations[ALLOW_FLOATING_TAG_ANNOTATION] === 'true' || annotations[KEEL_POLICY_ANNOTATION] !== undefined;
    for (const t of podTemplates(o.manifest)) {
      for (const { field, container } of containersOf(t)) {
        const image = container.image;
        if (typeof image !== 'string') {
          continue;
        }
        const ref = parseImage(image);
        const floating = ref && !floatingAllowed ? floatingImage(ref) : undefined;
        if (!ref) {
          problems.push(
            objectProblem(o, `${field}.image`, image, 'is not a valid image reference', 'write it as [registry/]repository:tag, e.g. ghcr.io/owner/app:1.2.3'),
          );
        } else if (floating) {
          problems.push(
            objectProblem(
              o,
              `${field}.image`,
              image,
              floating.message,
              `pin a version (e.g. ${floating.pinned}), turn on automatic updates, or set allowFloatingTag`,
            ),
          );
        }
      }
    }
  }
  return problems;
}

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
    if (!isHostname(c.host) && !reportedHosts.has(`${c.o.path}|${c.host}`)) {
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
  const problems: Problem[] = [];
  const index = new Map<string, Manifest>();
  for (const o of objects) {
    index.set(`${o.manifest.kind}|${namespaceOf(o.manifest)}|${o.manifest.metadata.name}`, o.manifest);
  }
  const provided = providedServices(objects);
  const allowCrossNamespace = context.allowCrossNamespace === true || traefikSettings(objects).allowCrossNamespace;
  const crossNamespace = (o: SynthesizedObject, field: string, ns: string, what: string) => {
    if (ns !== namespaceOf(o.manifest) && !allowCrossNamespace) {
      problems.push(
        objectProblem(
          o,
          field,
          `${ns}/${what}`,
          `is in another namespace than the ${o.manifest.kind} (${namespaceOf(o.manifest)}), and Traefik refuses cross-namespace references by default`,
          'move them into one namespace, or allow cross-namespace references in the Traefik configuration',
        ),
      );
    }
  };
  const checkMiddlewares = (o: SynthesizedObject, field: string, refs: readonly Obj[]) => {
    for (const [k, ref] of refs.entries()) {
      const name = String(ref.name ?? '');
      if (name.includes('@')) {
        continue; // name@provider: defined outside Kubernetes (file provider, another CRD provider)
      }
      const ns = typeof ref.namespace === 'string' ? ref.namespace : namespaceOf(o.manifest);
      if (!index.has(`Middleware|${ns}|${name}`)) {
        problems.push(
          objectProblem(
            o,
            `${field}[${k}]`,
            `${ns}/${name}`,
            'is not a Middleware of the cluster',
            `define Middleware "${name}" in namespace "${ns}", or fix the reference`,
          ),
        );
      }
      crossNamespace(o, `${field}[${k}]`, ns, name);
    }
  };
  for (const o of objects) {
    const m = o.manifest;
    const spec = asObj(m.spec);
    if (m.kind === 'Middleware') {
      checkMiddlewares(o, 'spec.chain.middlewares', asList(asObj(spec.chain).middlewares));
    }
    if (m.kind !== 'IngressRoute') {
      continue;
    }
    for (const [i, route] of asList(spec.routes).entries()) {
      checkMiddlewares(o, `spec.routes[${i}].middlewares`, asList(route.middlewares));
      for (const [j, s] of asList(route.services).entries()) {
        const field = `spec.routes[${i}].services[${j}]`;
        const name = String(s.name ?? '');
        const ns = typeof s.namespace === 'string' ? s.namespace : namespaceOf(m);
        const kind = s.kind === 'TraefikService' ? 'TraefikService' : 'Service';
        if (name.includes('@')) {
          continue;
        }
        const target = index.get(`${kind}|${ns}|${name}`);
        const chartPorts = kind === 'Service' ? provided.get(`${ns}/${name}`) : undefined;
        if (chartPorts) {
          if (s.port !== undefined && !chartPorts.includes(String(s.port))) {
            problems.push(
              objectProblem(o, `${field}.port`, s.port, `is not a port of Service ${ns}/${name} (installed by a chart)`, `use one of ${chartPorts.join(', ')}`),
            );
          }
        } else if (!target) {
          problems.push(
            objectProblem(
              o,
              `${field}.name`,
              `${ns}/${name}`,
              `is not a ${kind} of the cluster`,
              `define ${kind} "${name}" in namespace "${ns}", or fix the reference`,
            ),
          );
        } else if (kind === 'Service' && s.port !== undefined) {
          const ports = asList(asObj(target.spec).ports);
          const found = ports.some((p) => (typeof s.port === 'number' ? p.port === s.port : p.name === s.port));
          if (!found) {
            problems.push(
              objectProblem(
                o,
                `${field}.port`,
                s.port,
                `is not a port of Service ${ns}/${name}`,
                `use one of ${ports.map((p) => portLabel(p.port, p.name)).join(', ')}`,
              ),
            );
          }
        }
        crossNamespace(o, `${field}.namespace`, ns, name);
      }
    }
  }
  return problems;
}

/** A port as the fixes list it: `8080 (http)`, or `8080` when it has no name. */
function portLabel(port: unknown, name: unknown): string {
  return name ? `${String(port)} (${String(name)})` : String(port);
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

/**
 * Certificate resolvers: every route's `tls.certResolver` is one the
 * cluster's Traefik configuration declares (or the context lists). Without
 * a Traefik configuration in the output it cannot be checked: synth warns.
 */
export function certResolvers(objects: readonly SynthesizedObject[], context: ClusterContext): Problem[] {
  const problems: Problem[] = [];
  const traefik = traefikSettings(objects);
  const declared = new Set([...traefik.certResolvers, ...(context.certResolvers ?? [])]);
  const warned = new Set<string>();
  for (const o of objects) {
    if (o.manifest.kind !== 'IngressRoute') {
      continue;
    }
    const resolver = asObj(asObj(o.manifest.spec).tls).certResolver;
    if (typeof resolver !== 'string' || declared.has(resolver)) {
      continue;
    }
    if (traefik.present || context.certResolvers !== undefined) {
      problems.push(
        objectProblem(
          o,
          'spec.tls.certResolver',
          resolver,
          'is not a resolver the Traefik configuration declares',
          `declare it in TraefikConfig acme (declared: ${[...declared].join(', ') || 'none'}), or fix the name`,
        ),
      );
    } else if (!warned.has(resolver)) {
      warned.add(resolver);
      problems.push({
        ...objectProblem(
          o,
          'spec.tls.certResolver',
          resolver,
          'cannot be checked: the output has no Traefik configuration (HelmChartConfig kube-system/traefik)',
          'add a TraefikConfig that declares it, or list it in HomelabApp cluster.certResolvers',
        ),
        warning: 'HL-undeclared-cert-resolver',
      });
    }
  }
  return problems;
}

/**
 * Services and their pods: a selector must match a pod template of its
 * namespace, and a targetPort must be a port of the containers it selects.
 */
export function serviceSelectors(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  // Pod templates by namespace, so the check stays linear in the size of the cluster.
  const templatesByNamespace = new Map<string, PodTemplate[]>();
  for (const o of objects) {
    for (const t of podTemplates(o.manifest)) {
      const ns = namespaceOf(o.manifest);
      const list = templatesByNamespace.get(ns);
      if (list) {
        list.push(t);
      } else {
        templatesByNamespace.set(ns, [t]);
      }
    }
  }
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind !== 'Service') {
      continue;
    }
    const spec = asObj(m.spec);
    const selector = asObj(spec.selector);
    if (spec.type === 'ExternalName' || Object.keys(selector).length === 0) {
      continue;
    }
    const wanted = Object.entries(selector);
    const selected = (templatesByNamespace.get(namespaceOf(m)) ?? []).filter((t) => wanted.every(([k, v]) => t.labels[k] === v));
    if (selected.length === 0) {
      problems.push(
        objectProblem(
          o,
          'spec.selector',
          selector,
          `matches no pod template in namespace "${namespaceOf(m)}"`,
          "make the selector match the labels of the workload's pod template",
        ),
      );
      continue;
    }
    const containers = selected.flatMap((t) => asList(t.spec.containers));
    const containerPorts = containers.flatMap((c) => asList(c.ports));
    for (const [i, p] of asList(spec.ports).entries()) {
      const target = p.targetPort ?? p.port;
      const ok = typeof target === 'number' ? containerPorts.some((cp) => cp.containerPort === target) : containerPorts.some((cp) => cp.name === target);
      if (!ok) {
        const declared = containerPorts.map((cp) => portLabel(cp.containerPort, cp.name));
        problems.push(
          objectProblem(
            o,
            `spec.ports[${i}].targetPort`,
            target,
            'is not a port of the containers the Service selects',
            declared.length > 0 ? `use one of ${declared.join(', ')}` : "declare the port in the container's ports",
          ),
        );
      }
    }
  }
  return problems;
}

/** A route's certificate domains (main + SANs) must cover every `Host()` of the route. */
export function tlsCoverage(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    if (o.manifest.kind !== 'IngressRoute') {
      continue;
    }
    const spec = asObj(o.manifest.spec);
    const domains = asList(asObj(spec.tls).domains);
    if (domains.length === 0) {
      continue;
    }
    const names = domains.flatMap((d) => [String(d.main ?? ''), ...(Array.isArray(d.sans) ? d.sans.map(String) : [])]);
    for (const [i, route] of asList(spec.routes).entries()) {
      for (const host of parseRule(String(route.match ?? '')).hosts) {
        if (isHostname(host) && !names.some((n) => certNameCovers(n, host))) {
          problems.push(
            objectProblem(
              o,
              `spec.routes[${i}].match`,
              host,
              `is not covered by the TLS domains (${names.join(', ')})`,
              `add "${host}" (or a wildcard of its parent domain) to spec.tls.domains sans`,
            ),
          );
        }
      }
    }
  }
  return problems;
}

/**
 * What pods use must exist in their namespace: the PersistentVolumeClaims
 * and ConfigMaps they mount or read (unless marked optional). Secrets are
 * created by hand, so they are not checked.
 */
export function volumeReferences(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const present = new Set<string>();
  for (const o of objects) {
    if (o.manifest.kind === 'PersistentVolumeClaim' || o.manifest.kind === 'ConfigMap') {
      present.add(`${o.manifest.kind}|${namespaceOf(o.manifest)}|${o.manifest.metadata.name}`);
    }
  }
  for (const o of objects) {
    const ns = namespaceOf(o.manifest);
    const need = (kind: string, name: unknown, field: string, optional: unknown) => {
      if (optional !== true && typeof name === 'string' && !present.has(`${kind}|${ns}|${name}`)) {
        problems.push(objectProblem(o, field, name, `is not a ${kind} of namespace "${ns}"`, `define the ${kind}, or fix the name`));
      }
    };
    for (const t of podTemplates(o.manifest)) {
      for (const [i, v] of asList(t.spec.volumes).entries()) {
        const pvc = asObj(v.persistentVolumeClaim);
        need('PersistentVolumeClaim', pvc.claimName, `${t.specField}.volumes[${i}].persistentVolumeClaim.claimName`, false);
        const cm = asObj(v.configMap);
        need('ConfigMap', cm.name, `${t.specField}.volumes[${i}].configMap.name`, cm.optional);
      }
      for (const { field, container } of containersOf(t)) {
        for (const [i, e] of asList(container.envFrom).entries()) {
          const cm = asObj(e.configMapRef);
          need('ConfigMap', cm.name, `${field}.envFrom[${i}].configMapRef.name`, cm.optional);
        }
        for (const [i, e] of asList(container.env).entries()) {
          const ref = asObj(asObj(e.valueFrom).configMapKeyRef);
          need('ConfigMap', ref.name, `${field}.env[${i}].valueFrom.configMapKeyRef.name`, ref.optional);
        }
      }
    }
  }
  return problems;
}

/** Every built-in whole-cluster check, in the order they report. */
export const CLUSTER_CHECKS: readonly ClusterCheck[] = [
  duplicateObjects,
  nameSyntax,
  portRanges,
  imageReferences,
  routeHosts,
  routeReferences,
  serviceSelectors,
  tlsCoverage,
  certResolvers,
  volumeReferences,
];
