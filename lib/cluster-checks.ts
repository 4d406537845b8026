import { Problem } from './errors';
import { SynthesizedObject } from './synthesizer';

/** Two objects with the same apiVersion, kind, namespace and name: the second would overwrite the first. */
export function duplicateObjects(objects: readonly SynthesizedObject[]): Problem[] {
  const seen = new Map<string, SynthesizedObject>();
  const problems: Problem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    const key = `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name ?? ''}`;
    const first = seen.get(key);
    if (first) {
      problems.push({
        app: o.app,
        path: o.path,
        field: 'metadata.name',
        value: m.metadata.name,
        message: `is already used by another ${m.kind} in namespace "${m.metadata.namespace ?? ''}" (at ${first.path})`,
        fix: 'give one of them another name or namespace',
      });
    } else {
      seen.set(key, o);
    }
  }
  return problems;
}
