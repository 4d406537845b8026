import type { IConstruct } from 'constructs';
import type { SynthesizedObject } from './manifest';
import { asObj } from './manifest-fields';

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

/** Kept on the App's root (a global symbol, the same in every copy of the package). */
const PRUNE_PROTECTION = Symbol.for('cdk8s-homelab.pruneProtection');

/** Records the App's prune protection (by its GitOps sync). */
export function setPruneProtection(c: IConstruct, protection: PruneProtection): void {
  Object.defineProperty(c.node.root, PRUNE_PROTECTION, { value: protection, configurable: true });
}

/** The App's prune protection, if a GitOps sync declared one. */
export function pruneProtectionOf(c: IConstruct): PruneProtection | undefined {
  return (c.node.root as unknown as Record<symbol, PruneProtection | undefined>)[PRUNE_PROTECTION];
}

/** The folder, in each environment's output, of the objects kubectl's pruning must never see (see {@link KeptLayout}). */
export const KEPT_FOLDER = 'kept';

/**
 * An output laid out for kubectl's ApplySet pruning: the Namespaces and
 * PersistentVolumeClaims of the apps not listed go into `kept/`, applied
 * without pruning, so that removing an app never deletes its data.
 */
export interface KeptLayout {
  /** The apps whose Namespace and claims stay with the rest, pruned with them. */
  readonly prunableApps: readonly string[];
}

/** Kept on the App's root (a global symbol, the same in every copy of the package). */
const KEPT_LAYOUT = Symbol.for('cdk8s-homelab.keptLayout');

/** Records the App's kept layout (HomelabApp `applySet`). */
export function setKeptLayout(c: IConstruct, layout: KeptLayout): void {
  Object.defineProperty(c.node.root, KEPT_LAYOUT, { value: layout, configurable: true });
}

/** The App's kept layout, if it asked for one. */
export function keptLayoutOf(c: IConstruct): KeptLayout | undefined {
  return (c.node.root as unknown as Record<symbol, KeptLayout | undefined>)[KEPT_LAYOUT];
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
