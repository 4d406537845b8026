import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, containersOf, namespaceOf, podTemplates } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';

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
