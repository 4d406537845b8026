import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, namespaceOf, type PodTemplate, podTemplates } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { portLabel } from './port-label';

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
        const problem = objectProblem(
          o,
          `spec.ports[${i}].targetPort`,
          target,
          'is not a port of the containers the Service selects',
          declared.length > 0 ? `use one of ${declared.join(', ')}` : "declare the port in the container's ports",
        );
        // Kubernetes sends to a port number whether or not a container declares it (often a
        // mistake, 80 for 8080, but not always); a port name that no container has leads nowhere.
        problems.push(typeof target === 'number' ? { ...problem, warning: 'HL-undeclared-target-port' } : problem);
      }
    }
  }
  return problems;
}
