import { createHash } from 'node:crypto';
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels';
import type { Manifest } from './manifest';

/**
 * The type of the parents of our ApplySets: a cluster-scoped custom resource
 * of the package's own CRD (`crds/cdk8s-homelab.io_applysets.yaml`), since
 * kubectl takes the namespace of a namespaced parent (a ConfigMap, a Secret)
 * from `-n` only, and `-n` then refuses every object of another namespace.
 */
export const APPLY_SET_PARENT_TYPE = { group: 'cdk8s-homelab.io', version: 'v1alpha1', kind: 'ApplySet' } as const;

/** The file of the package's ApplySet CRD, below the package root. */
export const APPLY_SET_CRD_SOURCE = 'crds/cdk8s-homelab.io_applysets.yaml';

/** The tooling kubectl writes on the parents of the ApplySets it manages (it checks the name, `kubectl`). */
export const APPLY_SET_TOOLING = 'kubectl/v1.28';

/**
 * The ID of an ApplySet, from its parent's group, kind, name and namespace
 * (empty for a cluster-scoped parent), as the specification (KEP 3659) and
 * kubectl compute it: `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`.
 */
export function applySetId(parent: { readonly name: string; readonly namespace: string; readonly kind: string; readonly group: string }): string {
  const digest = createHash('sha256').update(`${parent.name}.${parent.namespace}.${parent.kind}.${parent.group}`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/**
 * The parent of an ApplySet, to create once before kubectl's first
 * `--applyset` run (kubectl creates no custom resource parent itself): the
 * specification's ID label, kubectl's tooling, and an empty record of the
 * members' kinds, which kubectl fills as it applies them. The record it keeps
 * is the live one: this object never changes, so applying it again leaves
 * kubectl's record alone (a client-side apply only sets what changed in the file).
 */
export function applySetParent(name: string): Manifest {
  const { group, version, kind } = APPLY_SET_PARENT_TYPE;
  return {
    apiVersion: `${group}/${version}`,
    kind,
    metadata: {
      name,
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY,
        'applyset.kubernetes.io/id': applySetId({ name, namespace: '', kind, group }),
      },
      annotations: {
        'applyset.kubernetes.io/contains-group-kinds': '',
        'applyset.kubernetes.io/tooling': APPLY_SET_TOOLING,
      },
    },
  };
}
