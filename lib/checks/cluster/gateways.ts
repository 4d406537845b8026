import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, asStrings, namespaceOf, type Obj } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';

/** The Gateway API Gateways of the output, by `namespace/name`, with their specs. */
export function gatewaysOf(objects: readonly SynthesizedObject[]): Map<string, Obj> {
  const gateways = new Map<string, Obj>();
  for (const { manifest: m } of objects) {
    if (m.kind === 'Gateway' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      gateways.set(`${namespaceOf(m)}/${String(m.metadata.name)}`, asObj(m.spec));
    }
  }
  return gateways;
}

/**
 * Gateway API attachments: each HTTPRoute's parent Gateway is in the
 * cluster, has the listener it names, and lets routes of the route's
 * namespace attach (`allowedRoutes.namespaces.from`: Same by default, All,
 * or a Selector, which is given the benefit of the doubt). Without any
 * Gateway in the output (it is installed another way) it cannot be checked:
 * synth warns.
 */
export function gatewayAttachments(objects: readonly SynthesizedObject[]): Problem[] {
  const gateways = gatewaysOf(objects);
  const problems: Problem[] = [];
  const warned = new Set<string>();
  for (const o of objects) {
    if (o.manifest.kind !== 'HTTPRoute' || !o.manifest.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      continue;
    }
    const routeNamespace = namespaceOf(o.manifest);
    for (const [i, parent] of asList(asObj(o.manifest.spec).parentRefs).entries()) {
      if ((parent.kind ?? 'Gateway') !== 'Gateway') {
        continue;
      }
      const key = `${String(parent.namespace ?? routeNamespace)}/${String(parent.name ?? '')}`;
      const field = `spec.parentRefs[${i}]`;
      const gateway = gateways.get(key);
      if (gateway === undefined) {
        if (gateways.size > 0) {
          problems.push(objectProblem(o, `${field}.name`, key, 'is not a Gateway of the cluster', `use one of: ${[...gateways.keys()].join(', ')}`));
        } else if (!warned.has(key)) {
          warned.add(key);
          problems.push({
            ...objectProblem(
              o,
              `${field}.name`,
              key,
              'cannot be checked: the output defines no Gateway',
              'define the Gateway in the output, or ignore this if it is installed another way',
            ),
            warning: 'HL-undeclared-gateway',
          });
        }
        continue;
      }
      const listeners = asList(gateway.listeners);
      const section = typeof parent.sectionName === 'string' ? parent.sectionName : undefined;
      const named = section === undefined ? listeners : listeners.filter((l) => l.name === section);
      if (named.length === 0) {
        problems.push(
          objectProblem(
            o,
            `${field}.sectionName`,
            section,
            `is not a listener of Gateway ${key}`,
            `use one of: ${listeners.map((l) => String(l.name)).join(', ')}`,
          ),
        );
        continue;
      }
      const gatewayNamespace = key.slice(0, key.indexOf('/'));
      const admits = named.some((l) => {
        const from = asObj(asObj(asObj(l.allowedRoutes).namespaces)).from ?? 'Same';
        return from === 'All' || from === 'Selector' || (from === 'Same' && gatewayNamespace === routeNamespace);
      });
      if (!admits) {
        problems.push(
          objectProblem(
            o,
            field,
            `${key}${section ? `/${section}` : ''}`,
            `does not let routes of namespace ${routeNamespace} attach (its listener allows routes of its own namespace only)`,
            "set the listener's allowedRoutes.namespaces.from to All (or a Selector that matches the namespace)",
          ),
        );
      }
      problems.push(...unmatchedHostnames(o, named, key));
    }
  }
  return problems;
}

/** Whether a listener's hostname takes a route's host (a wildcard takes one label or more in front of its domain). */
function listenerTakes(listenerHost: unknown, host: string): boolean {
  if (typeof listenerHost !== 'string') {
    return true;
  }
  return listenerHost.startsWith('*.') ? host.endsWith(listenerHost.slice(1)) && host.length > listenerHost.length - 1 : listenerHost === host;
}

/** The hostnames of a route that none of the listeners it attaches to takes: the route would not serve them. */
function unmatchedHostnames(o: SynthesizedObject, listeners: readonly Obj[], gateway: string): Problem[] {
  return asStrings(asObj(o.manifest.spec).hostnames).flatMap((host, i) =>
    host.startsWith('*.') || listeners.some((l) => listenerTakes(l.hostname, host))
      ? []
      : [
          objectProblem(
            o,
            `spec.hostnames[${i}]`,
            host,
            `is not a host of the listeners of Gateway ${gateway} (${listeners.map((l) => String(l.hostname)).join(', ')})`,
            "serve it on a listener whose hostname takes it, or widen the listener's hostname",
          ),
        ],
  );
}

/** One reference across namespaces that a ReferenceGrant must allow. */
interface CrossReference {
  readonly object: SynthesizedObject;
  readonly field: string;
  /** The referencing kind and namespace. */
  readonly fromKind: string;
  readonly fromNamespace: string;
  /** The referenced kind, namespace and name. */
  readonly toKind: 'Service' | 'Secret';
  readonly toNamespace: string;
  readonly toName: string;
}

/** The cross-namespace references of a route (its backends) or a Gateway (its listeners' certificates). */
function crossReferences(o: SynthesizedObject): CrossReference[] {
  const m = o.manifest;
  const from = namespaceOf(m);
  const spec = asObj(m.spec);
  const found: CrossReference[] = [];
  if (m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute') {
    for (const [i, rule] of asList(spec.rules).entries()) {
      for (const [j, ref] of asList(rule.backendRefs).entries()) {
        const namespace = String(ref.namespace ?? from);
        if (namespace !== from && (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '') {
          const field = `spec.rules[${i}].backendRefs[${j}].namespace`;
          found.push({ object: o, field, fromKind: m.kind, fromNamespace: from, toKind: 'Service', toNamespace: namespace, toName: String(ref.name) });
        }
      }
    }
  }
  if (m.kind === 'Gateway') {
    for (const [i, listener] of asList(spec.listeners).entries()) {
      for (const [j, ref] of asList(asObj(listener.tls).certificateRefs).entries()) {
        const namespace = String(ref.namespace ?? from);
        if (namespace !== from && (ref.kind ?? 'Secret') === 'Secret') {
          const field = `spec.listeners[${i}].tls.certificateRefs[${j}].namespace`;
          found.push({ object: o, field, fromKind: 'Gateway', fromNamespace: from, toKind: 'Secret', toNamespace: namespace, toName: String(ref.name) });
        }
      }
    }
  }
  return found;
}

/** Whether a ReferenceGrant's spec allows a reference. */
function grants(spec: Obj, ref: CrossReference): boolean {
  return (
    asList(spec.from).some((f) => f.group === 'gateway.networking.k8s.io' && f.kind === ref.fromKind && f.namespace === ref.fromNamespace) &&
    asList(spec.to).some((t) => (t.group ?? '') === '' && t.kind === ref.toKind && (t.name === undefined || t.name === ref.toName))
  );
}

/**
 * Gateway API references across namespaces: a route's backend Service, or a
 * Gateway listener's certificate Secret, in another namespace needs a
 * ReferenceGrant in that namespace that lets the route's (or Gateway's)
 * kind and namespace in. Without any ReferenceGrant in the output (they are
 * made another way) it cannot be checked: synth warns.
 */
export function referenceGrants(objects: readonly SynthesizedObject[]): Problem[] {
  const grantsByNamespace = new Map<string, Obj[]>();
  for (const { manifest: m } of objects) {
    if (m.kind === 'ReferenceGrant' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      grantsByNamespace.set(namespaceOf(m), [...(grantsByNamespace.get(namespaceOf(m)) ?? []), asObj(m.spec)]);
    }
  }
  const problems: Problem[] = [];
  for (const ref of objects.flatMap(crossReferences)) {
    if ((grantsByNamespace.get(ref.toNamespace) ?? []).some((spec) => grants(spec, ref))) {
      continue;
    }
    const what = `${ref.toKind} ${ref.toNamespace}/${ref.toName}`;
    const fix = `add a GatewayReferenceGrant in ${ref.toNamespace} from ${ref.fromKind}s of ${ref.fromNamespace} to ${ref.toKind}s (or ${ref.toKind} ${ref.toName})`;
    problems.push(
      grantsByNamespace.size > 0
        ? objectProblem(ref.object, ref.field, ref.toNamespace, `references ${what}, and no ReferenceGrant of ${ref.toNamespace} allows it`, fix)
        : {
            ...objectProblem(
              ref.object,
              ref.field,
              ref.toNamespace,
              `references ${what}, which cannot be checked: the output has no ReferenceGrant`,
              `${fix}, or ignore this if it is made another way`,
            ),
            warning: 'HL-undeclared-reference-grant',
          },
    );
  }
  return problems;
}
