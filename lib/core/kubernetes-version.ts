import type { IConstruct } from 'constructs';
import { HomelabError } from './problems';
import { RootValue } from './root-values';

/** The Kubernetes versions whose API the package validates against (their definitions are in `schemas/`). */
export const KUBERNETES_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'] as const;

/** A Kubernetes version the package validates against, as `major.minor`. */
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/**
 * The version validated against when none is chosen: the oldest supported,
 * so that the output applies to every cluster from 1.28 on (a newer cluster
 * accepts it too; see the README's "Kubernetes versions").
 */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = '1.28';

/** Whether `v` is a supported version (`1.33`; `1.33.2` or `v1.33` are read as `1.33`). */
export function parseKubernetesVersion(v: unknown): KubernetesVersion | undefined {
  const m = typeof v === 'string' ? /^v?(\d+\.\d+)(\.\d+)?$/.exec(v.trim()) : null;
  return KUBERNETES_VERSIONS.find((k) => k === m?.[1]);
}

/**
 * The version `given` names (the default when it names none), or a
 * HomelabError at `where` (app, path and field of the setting) when the
 * package does not validate against it.
 */
export function resolveKubernetesVersion(given: unknown, where: { app: string; path: string; field: string }): KubernetesVersion {
  const version = parseKubernetesVersion(given ?? DEFAULT_KUBERNETES_VERSION);
  if (version === undefined) {
    throw new HomelabError([
      { ...where, value: given, message: 'is not a Kubernetes version the package validates against', fix: `use one of ${KUBERNETES_VERSIONS.join(', ')}` },
    ]);
  }
  return version;
}

/** The versions newer than `v`, oldest first. */
export function newerVersions(v: KubernetesVersion): KubernetesVersion[] {
  return KUBERNETES_VERSIONS.slice(KUBERNETES_VERSIONS.indexOf(v) + 1);
}

/** The Kubernetes version of a construct tree. */
const KUBERNETES_VERSION = new RootValue<KubernetesVersion>('kubernetesVersion');

/** Sets the Kubernetes version of the tree of `root` (HomelabApp does, from its props). */
export function setKubernetesVersion(root: IConstruct, v: KubernetesVersion): void {
  KUBERNETES_VERSION.set(root, v);
}

/** The Kubernetes version of the tree `scope` is in. */
export function kubernetesVersionOf(scope: IConstruct): KubernetesVersion {
  return KUBERNETES_VERSION.get(scope) ?? DEFAULT_KUBERNETES_VERSION;
}
