import type { IConstruct } from 'constructs';
import type { SynthesizedObject } from './manifest';
import { addAnnotations } from './manifest-fields';
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
  /** The name of the ApplySet's parent (a cluster-scoped ApplySet of the package's CRD). */
  readonly parentName: string;
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
      addAnnotations(o.manifest, KEEP_ON_PRUNE_ANNOTATIONS[protection.tool]);
    }
  }
}
