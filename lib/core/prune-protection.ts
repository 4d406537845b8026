import { createHash } from 'node:crypto';
import type { IConstruct } from 'constructs';
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels';
import type { Manifest, SynthesizedObject } from './manifest';
import { asObj } from './manifest-fields';
import { RootValue } from './root-values';

/** The annotations by which a GitOps tool keeps an object it would otherwise prune. */
export const KEEP_ON_PRUNE_ANNOTATIONS: Readonly<Record<'flux' | 'argocd', Readonly<Record<string, string>>>> = {
  flux: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
  argocd: { 'argocd.argoproj.io/sync-options': 'Prune=false' },
};

/** What a GitOps sync of the App says about pruning data: its tool, and the apps whose data may go. */
export interface PruneProtection {
  /** The tool that prunes. */
  readonly tool: 'flux' | 'argocd';
  /** The apps whose Namespace and PersistentVolumeClaims it may delete with them. */
  readonly prunableApps: readonly string[];
}

/** The prune protection of a construct tree. */
const PRUNE_PROTECTION = new RootValue<PruneProtection>('pruneProtection');

/** Records the App's prune protection (by its GitOps sync). */
export function setPruneProtection(c: IConstruct, protection: PruneProtection): void {
  PRUNE_PROTECTION.set(c, protection);
}

/** The App's prune protection, if a GitOps sync declared one. */
export function pruneProtectionOf(c: IConstruct): PruneProtection | undefined {
  return PRUNE_PROTECTION.get(c);
}

/**
 * An output laid out for kubectl's ApplySet pruning: the Namespaces and
 * PersistentVolumeClaims of the apps not listed go into `kept/`, applied
 * without pruning, so that removing an app never deletes its data.
 */
export interface KeptLayout {
  /** The apps whose Namespace and claims stay with the rest, pruned with them. */
  readonly prunableApps: readonly string[];
  /** The name of the ApplySet's parent ConfigMap. */
  readonly parentName: string;
  /** Its namespace: the kubeconfig context's, in which kubectl looks for it. */
  readonly parentNamespace: string;
}

/** The tooling kubectl writes on the parents of the ApplySets it manages (it checks the name, `kubectl`). */
export const APPLY_SET_TOOLING = 'kubectl/v1.28';

/**
 * The ID of an ApplySet, from its parent's group, kind, name and namespace,
 * as the specification (KEP 3659) and kubectl compute it:
 * `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`.
 */
export function applySetId(parent: { readonly name: string; readonly namespace: string; readonly kind: string; readonly group: string }): string {
  const digest = createHash('sha256').update(`${parent.name}.${parent.namespace}.${parent.kind}.${parent.group}`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/**
 * The parent ConfigMap of an ApplySet whose members are `members`, as kubectl
 * writes it when it applies them: the ID label, the tooling, the group-kinds
 * of the members (`Kind.group`, `Kind` for the core group) and their
 * namespaces other than the parent's, each sorted.
 */
export function applySetParent(layout: KeptLayout, members: readonly Manifest[]): Manifest {
  const groupKinds = new Set<string>();
  const namespaces = new Set<string>();
  for (const m of members) {
    const group = m.apiVersion.includes('/') ? m.apiVersion.slice(0, m.apiVersion.indexOf('/')) : '';
    groupKinds.add(group ? `${m.kind}.${group}` : m.kind);
    if (typeof m.metadata.namespace === 'string' && m.metadata.namespace !== layout.parentNamespace) {
      namespaces.add(m.metadata.namespace);
    }
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(',');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: layout.parentName,
      namespace: layout.parentNamespace,
      labels: {
        'applyset.kubernetes.io/id': applySetId({ name: layout.parentName, namespace: layout.parentNamespace, kind: 'ConfigMap', group: '' }),
        [MANAGED_BY_LABEL]: MANAGED_BY,
      },
      annotations: {
        'applyset.kubernetes.io/additional-namespaces': sorted(namespaces),
        'applyset.kubernetes.io/contains-group-kinds': sorted(groupKinds),
        'applyset.kubernetes.io/tooling': APPLY_SET_TOOLING,
      },
    },
  };
}

/** The kept layout of a construct tree. */
const KEPT_LAYOUT = new RootValue<KeptLayout>('keptLayout');

/** Records the App's kept layout (HomelabApp `applySet`). */
export function setKeptLayout(c: IConstruct, layout: KeptLayout): void {
  KEPT_LAYOUT.set(c, layout);
}

/** The App's kept layout, if it asked for one. */
export function keptLayoutOf(c: IConstruct): KeptLayout | undefined {
  return KEPT_LAYOUT.get(c);
}

/** Whether an object is data to keep: a Namespace or PersistentVolumeClaim of an app not among the prunable ones. */
export function isKeptData(o: SynthesizedObject, prunable: ReadonlySet<string>): boolean {
  const kind = o.manifest.kind;
  return (kind === 'Namespace' || kind === 'PersistentVolumeClaim') && !o.manifest.apiVersion.includes('/') && !prunable.has(o.app);
}

/**
 * Marks every Namespace and PersistentVolumeClaim as kept by the GitOps
 * tool when it prunes (removing an app from Git then leaves its data), except
 * those of the apps that said their data may go.
 */
export function protectDataFromPruning(objects: readonly SynthesizedObject[], protection: PruneProtection): void {
  const prunable = new Set(protection.prunableApps);
  for (const o of objects) {
    if (isKeptData(o, prunable)) {
      const metadata = o.manifest.metadata as Record<string, unknown>;
      metadata.annotations = { ...asObj(metadata.annotations), ...KEEP_ON_PRUNE_ANNOTATIONS[protection.tool] };
    }
  }
}
