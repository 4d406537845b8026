import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, namespaceOf, podTemplates } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';

/** The ClusterRoles every cluster has (user-facing and system ones), which bindings may name without defining them. */
const BUILT_IN_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

const RBAC = 'rbac.authorization.k8s.io/';

/**
 * RBAC and ServiceAccounts hold together: a pod's ServiceAccount exists in
 * its namespace; a binding names a Role (of its namespace) or ClusterRole
 * that exists (or a built-in one) and ServiceAccounts that exist; and every
 * Role and ClusterRole is bound to something.
 */
export function rbacReferences(objects: readonly SynthesizedObject[]): Problem[] {
  const accounts = new Set<string>();
  const roles = new Set<string>();
  const bound = new Set<string>();
  for (const { manifest: m } of objects) {
    if (m.kind === 'ServiceAccount' && m.apiVersion === 'v1') {
      accounts.add(`${namespaceOf(m)}/${String(m.metadata.name)}`);
    } else if (m.apiVersion.startsWith(RBAC) && m.kind === 'Role') {
      roles.add(`Role/${namespaceOf(m)}/${String(m.metadata.name)}`);
    } else if (m.apiVersion.startsWith(RBAC) && m.kind === 'ClusterRole') {
      roles.add(`ClusterRole/${String(m.metadata.name)}`);
    }
  }
  const problems: Problem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    for (const t of podTemplates(m)) {
      const name = t.spec.serviceAccountName;
      if (typeof name === 'string' && name !== 'default' && !accounts.has(`${namespaceOf(m)}/${name}`)) {
        problems.push(
          objectProblem(
            o,
            `${t.specField}.serviceAccountName`,
            name,
            `is not a ServiceAccount of namespace ${namespaceOf(m)}: the pods would never be created`,
            'define it (AppStack kubernetesApi, or AppServiceAccount), or drop serviceAccountName',
          ),
        );
      }
    }
    if (!m.apiVersion.startsWith(RBAC) || (m.kind !== 'RoleBinding' && m.kind !== 'ClusterRoleBinding')) {
      continue;
    }
    const ref = asObj(m.roleRef);
    const key = ref.kind === 'Role' ? `Role/${namespaceOf(m)}/${String(ref.name)}` : `ClusterRole/${String(ref.name)}`;
    bound.add(key);
    if (!roles.has(key) && !(ref.kind === 'ClusterRole' && (BUILT_IN_CLUSTER_ROLES.has(String(ref.name)) || String(ref.name).startsWith('system:')))) {
      problems.push(
        objectProblem(
          o,
          'roleRef.name',
          ref.name,
          `is not a ${String(ref.kind)} of the cluster${ref.kind === 'Role' ? ` in namespace ${namespaceOf(m)}` : ''}`,
          'define it, or fix the name',
        ),
      );
    }
    for (const [i, subject] of asList(m.subjects).entries()) {
      const ns = String(subject.namespace ?? namespaceOf(m));
      if (subject.kind === 'ServiceAccount' && !accounts.has(`${ns}/${String(subject.name)}`)) {
        problems.push(
          objectProblem(o, `subjects[${i}].name`, subject.name, `is not a ServiceAccount of namespace ${ns}`, 'define it, or fix the name and namespace'),
        );
      }
    }
  }
  for (const o of objects) {
    const m = o.manifest;
    const key = m.kind === 'Role' ? `Role/${namespaceOf(m)}/${String(m.metadata.name)}` : `ClusterRole/${String(m.metadata.name)}`;
    if (m.apiVersion.startsWith(RBAC) && (m.kind === 'Role' || m.kind === 'ClusterRole') && !bound.has(key) && m.aggregationRule === undefined) {
      problems.push(
        objectProblem(
          o,
          'metadata.name',
          m.metadata.name,
          'is bound to nothing: no RoleBinding or ClusterRoleBinding names it',
          'bind it to the ServiceAccount that needs it, or drop it',
        ),
      );
    }
  }
  return problems;
}
