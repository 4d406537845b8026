import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, asStrings, containersOf, namespaceOf, type PodTemplate, podTemplates } from '../../core/manifest-fields';
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

/** A workload's pods that mount a claim. */
interface ClaimUser {
  readonly o: SynthesizedObject;
  readonly t: PodTemplate;
  readonly field: string;
}

/**
 * A claim that only one node (ReadWriteOnce) or one pod (ReadWriteOncePod)
 * may mount is shared only where that holds: the pods of every workload but
 * the first that mount a ReadWriteOnce claim must be required on the node of
 * another's pods (a podAffinity on `kubernetes.io/hostname`, as AppStack
 * gives a volume of another app, or its scheduled tasks); a ReadWriteOncePod
 * claim is mounted by one pod at most.
 */
export function sharedVolumes(objects: readonly SynthesizedObject[]): Problem[] {
  const modes = new Map<string, string[]>();
  for (const o of objects) {
    if (o.manifest.kind === 'PersistentVolumeClaim') {
      modes.set(`${namespaceOf(o.manifest)}/${o.manifest.metadata.name}`, asStrings(asObj(o.manifest.spec).accessModes) as string[]);
    }
  }
  const users = new Map<string, ClaimUser[]>();
  for (const o of objects) {
    for (const t of podTemplates(o.manifest)) {
      for (const [i, v] of asList(t.spec.volumes).entries()) {
        const claim = asObj(v.persistentVolumeClaim).claimName;
        if (typeof claim === 'string') {
          const key = `${namespaceOf(o.manifest)}/${claim}`;
          users.set(key, [...(users.get(key) ?? []), { o, t, field: `${t.specField}.volumes[${i}].persistentVolumeClaim.claimName` }]);
        }
      }
    }
  }
  const problems: Problem[] = [];
  for (const [key, mounting] of users) {
    const access = modes.get(key) ?? [];
    if (access.includes('ReadWriteMany') || access.includes('ReadOnlyMany')) {
      continue;
    }
    if (access.includes('ReadWriteOncePod')) {
      problems.push(...onePodOnly(key, mounting));
    } else if (access.includes('ReadWriteOnce')) {
      problems.push(...oneNodeOnly(key, mounting));
    }
  }
  return problems;
}

/** A ReadWriteOncePod claim: one workload, one replica. */
function onePodOnly(key: string, mounting: readonly ClaimUser[]): Problem[] {
  return mounting
    .filter((u, i) => i > 0 || Number(asObj(u.o.manifest.spec).replicas ?? 1) > 1 || u.o.manifest.kind === 'DaemonSet')
    .map((u) =>
      objectProblem(
        u.o,
        u.field,
        key,
        'is a ReadWriteOncePod claim: only one pod may mount it, and more would',
        'mount it from one pod of one workload, or give the claim accessMode ReadWriteOnce (pods of one node) or ReadWriteMany',
      ),
    );
}

/** A ReadWriteOnce claim: every workload after the first is held on the node of another's pods. */
function oneNodeOnly(key: string, mounting: readonly ClaimUser[]): Problem[] {
  const problems: Problem[] = [];
  for (const [i, u] of mounting.entries()) {
    if (i === 0) {
      continue;
    }
    const others = mounting.filter((x) => x !== u);
    const terms = asList(asObj(asObj(u.t.spec.affinity).podAffinity).requiredDuringSchedulingIgnoredDuringExecution);
    const placed = terms.some(
      (term) =>
        term.topologyKey === 'kubernetes.io/hostname' &&
        others.some((x) => {
          const wanted = asObj(asObj(term.labelSelector).matchLabels);
          return Object.keys(wanted).length > 0 && Object.entries(wanted).every(([k, v]) => x.t.labels[k] === v);
        }),
    );
    if (!placed) {
      const owner = others[0].o.manifest;
      problems.push(
        objectProblem(
          u.o,
          u.field,
          key,
          `is a ReadWriteOnce claim that ${owner.kind} ${owner.metadata.name} also mounts, and nothing puts these pods on its node, where the volume is`,
          `require them on that node (a podAffinity to its pods on kubernetes.io/hostname; AppStack does it for a volume from app.volume()), or give the claim accessMode ReadWriteMany`,
        ),
      );
    }
  }
  return problems;
}
