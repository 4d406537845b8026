import type { SynthesizedObject } from '../../core/manifest';
import { asObj, podTemplates } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { isDns1035Label, isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../../core/value-rules';

/** Two objects with the same apiVersion, kind, namespace and name: the second would overwrite the first. */
export function duplicateObjects(objects: readonly SynthesizedObject[]): Problem[] {
  const seen = new Map<string, SynthesizedObject>();
  const problems: Problem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    const key = `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name ?? ''}`;
    const first = seen.get(key);
    if (first) {
      const namespaced = m.metadata.namespace !== undefined;
      problems.push(
        objectProblem(
          o,
          'metadata.name',
          m.metadata.name,
          `is already used by another ${m.kind}${namespaced ? ` in namespace "${m.metadata.namespace}"` : ''} (at ${first.path})`,
          namespaced ? 'give one of them another name or namespace' : 'give one of them another name',
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
