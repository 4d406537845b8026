import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, namespaceOf, type Obj } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';

/**
 * Gateway API attachments: each HTTPRoute's parent Gateway is in the
 * cluster, has the listener it names, and lets routes of the route's
 * namespace attach (`allowedRoutes.namespaces.from`: Same by default, All,
 * or a Selector, which is given the benefit of the doubt). Without any
 * Gateway in the output (it is installed another way) it cannot be checked:
 * synth warns.
 */
export function gatewayAttachments(objects: readonly SynthesizedObject[]): Problem[] {
  const gateways = new Map<string, Obj>();
  for (const { manifest: m } of objects) {
    if (m.kind === 'Gateway' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      gateways.set(`${namespaceOf(m)}/${String(m.metadata.name)}`, asObj(m.spec));
    }
  }
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
    }
  }
  return problems;
}
