import type { IConstruct } from 'constructs';
import type { SynthesizedObject } from './manifest';
import { addAnnotations } from './manifest-fields';
import { RootValue } from './root-values';

/** The folder, in each environment's output, of the objects kubectl's pruning must never see (see HomelabApp `applySet`). */
export const KEPT_FOLDER = 'kept';

/**
 * The folder, in each environment's output, of the ApplySet's parent and its
 * CRD (see HomelabApp `applySet`), applied once before the first prune and
 * never pruned; the GitOps tools leave it alone.
 */
export const APPLYSET_FOLDER = 'applyset';

/** The file of the ApplySet's parent, in each environment's output. */
export const APPLYSET_PARENT_FILE = `${APPLYSET_FOLDER}/parent.yaml`;

/** The file of the ApplySet parent's CRD, in each environment's output. */
export const APPLYSET_CRD_FILE = `${APPLYSET_FOLDER}/crd.yaml`;

/** The folder, in each environment's output, of the platform layer (see HomelabApp `platformFirst`). */
export const PLATFORM_FOLDER = 'platform';

/** The folder, in each environment's output, of the apps layer, applied after the platform. */
export const APPS_FOLDER = 'apps';

/**
 * The kinds (`group/Kind`) of the objects that install software in the
 * cluster or sync it from Git: an app holding one belongs to the platform,
 * as the apps may use the custom resources it brings.
 */
const PLATFORM_KINDS: ReadonlySet<string> = new Set([
  'apiextensions.k8s.io/CustomResourceDefinition',
  'helm.cattle.io/HelmChart',
  'helm.cattle.io/HelmChartConfig',
  'helm.toolkit.fluxcd.io/HelmRelease',
  'source.toolkit.fluxcd.io/HelmRepository',
  'source.toolkit.fluxcd.io/OCIRepository',
  'source.toolkit.fluxcd.io/GitRepository',
  'kustomize.toolkit.fluxcd.io/Kustomization',
  'argoproj.io/Application',
]);

/** The folders an environment's output may have inside (kept data, platform, apps, the ApplySet's parent): no environment may be named after one. */
export const OUTPUT_FOLDERS: readonly string[] = [KEPT_FOLDER, PLATFORM_FOLDER, APPS_FOLDER, APPLYSET_FOLDER];

/**
 * The environment of an output file, from its path under `dist/`
 * (`prod/apps/wiki.k8s.yaml` and `prod/wiki.k8s.yaml` are prod's,
 * `wiki.k8s.yaml` and `kept/wiki.k8s.yaml` of the App without environments).
 */
export function environmentOfFile(file: string): string {
  const folders = file.split('/').slice(0, -1);
  if (folders.length > 0 && OUTPUT_FOLDERS.includes(folders[folders.length - 1])) {
    folders.pop();
  }
  return folders.join('/');
}

/** Whether an output file is in a kept/ folder (the data applied without pruning). */
export function isKeptFile(file: string): boolean {
  const folders = file.split('/').slice(0, -1);
  return folders[folders.length - 1] === KEPT_FOLDER;
}

/** The Argo CD annotation that orders the objects of one sync, lowest wave first. */
export const ARGO_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** The wave of the platform's objects under Argo CD: before the apps' (wave 0). */
export const PLATFORM_WAVE = '-1';

/** Whether the App writes its output in a platform and an apps layer. */
const PLATFORM_FIRST = new RootValue<boolean>('platformFirst');

/** The GitOps tool that syncs the App's output, if a GitOpsSync said so. */
const GITOPS_TOOL = new RootValue<'flux' | 'argocd'>('gitOpsTool');

/** Records that the App writes a platform and an apps layer (HomelabApp `platformFirst`). */
export function setPlatformFirst(c: IConstruct): void {
  PLATFORM_FIRST.set(c, true);
}

/** Whether the App writes a platform and an apps layer. */
export function isPlatformFirst(c: IConstruct): boolean {
  return PLATFORM_FIRST.get(c) === true;
}

/** Records the GitOps tool that syncs the App's output (by its GitOpsSync). */
export function setGitOpsTool(c: IConstruct, tool: 'flux' | 'argocd'): void {
  GITOPS_TOOL.set(c, tool);
}

/** The GitOps tool that syncs the App's output, if any. */
export function gitOpsToolOf(c: IConstruct): 'flux' | 'argocd' | undefined {
  return GITOPS_TOOL.get(c);
}

/**
 * The apps (of synth's objects by app) that are part of the platform: they
 * install a chart or CRDs, configure K3s's Traefik, or sync from Git.
 */
export function platformAppsOf(byApp: ReadonlyMap<string, readonly SynthesizedObject[]>): ReadonlySet<string> {
  const isPlatformObject = (o: SynthesizedObject) => {
    const slash = o.manifest.apiVersion.indexOf('/');
    return slash > 0 && PLATFORM_KINDS.has(`${o.manifest.apiVersion.slice(0, slash)}/${o.manifest.kind}`);
  };
  return new Set([...byApp].filter(([, objects]) => objects.some(isPlatformObject)).map(([app]) => app));
}

/** Puts the objects of the platform's apps in Argo CD's earlier wave, so that one sync applies them first. */
export function orderPlatformFirstForArgo(byApp: ReadonlyMap<string, readonly SynthesizedObject[]>, platformApps: ReadonlySet<string>): void {
  for (const app of platformApps) {
    for (const o of byApp.get(app) ?? []) {
      addAnnotations(o.manifest, { [ARGO_SYNC_WAVE]: PLATFORM_WAVE });
    }
  }
}
