import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, type App, Chart, Yaml } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { annotateHandMadeSecrets } from '../checks/cluster/secret-references';
import { packageRoot } from '../checks/schema/schema-set';
import { APPLY_SET_CRD_SOURCE, applySetParent } from '../core/apply-set';
import { hasBrand } from '../core/brand';
import type { ClusterCheck, ClusterContext } from '../core/cluster-check';
import { problemsRecordedOn } from '../core/deferred-problems';
import type { HelmValuesCarrier, Manifest, SynthesizedFile, SynthesizedObject } from '../core/manifest';
import {
  APPLYSET_CRD_FILE,
  APPLYSET_PARENT_FILE,
  APPS_FOLDER,
  gitOpsToolOf,
  isPlatformFirst,
  KEPT_FOLDER,
  orderPlatformFirstForArgo,
  PLATFORM_FOLDER,
  platformAppsOf,
} from '../core/output-layers';
import { appNameOf, HomelabError, type Problem, WARNING_METADATA } from '../core/problems';
import { isKeptData, type KeptLayout, keptLayoutOf, protectDataFromPruning, pruneProtectionOf } from '../core/prune-protection';
import { CDK8S_YAML_STYLE, tryWriteYaml, yamlLibrary } from '../core/yaml-writer';
import { writeFilesAtomically } from './atomic-output';

/**
 * The order in which kinds are written in a file, so that `kubectl apply`
 * creates what others depend on first (Namespace, then config, then
 * workloads, then routes). Unlisted kinds come last, in construct order.
 */
const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SealedSecret',
  'ClusterSecretStore',
  'SecretStore',
  'ExternalSecret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'EndpointSlice',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'HelmChart',
  'HelmChartConfig',
  'HelmRepository',
  'HelmRelease',
  'ServersTransport',
  'ServersTransportTCP',
  'TLSOption',
  'TLSStore',
  'Middleware',
  'MiddlewareTCP',
  'TraefikService',
  'IngressRoute',
  'IngressRouteTCP',
  'IngressRouteUDP',
];
const KIND_RANK = new Map(KIND_ORDER.map((k, i) => [k, i]));

/** The app name of the ApplySet's type and parent, which belong to no app. */
const APPLY_SET_APP = '(applyset)';

/**
 * Renders every ApiObject of the App once: one walk of the construct tree,
 * each construct validated once, each object resolved once. (cdk8s's own
 * `App.synth()` re-walks the whole App for every Chart, which is quadratic in
 * the number of apps.) Objects are grouped in one file per top-level chart.
 *
 * Throws a HomelabError listing every problem (construct validations, failed
 * resolutions, and the `checks`) when there is any; nothing is written here.
 * Warnings (of constructs and checks) go to `onWarning`.
 */
export function synthesizeFiles(
  app: App,
  checks: readonly ClusterCheck[] = [],
  context: ClusterContext = {},
  onWarning: (warning: Problem) => void = () => undefined,
): SynthesizedFile[] {
  const recorded: Problem[] = [];
  const problems: Problem[] = [];
  const byApp = new Map<string, SynthesizedObject[]>();
  const all: SynthesizedObject[] = [];

  const visit = (c: IConstruct, topChart: string | undefined, appIn: string | undefined): void => {
    recorded.push(...problemsRecordedOn(c));
    for (const message of c.node.validate()) {
      problems.push({ app: appNameOf(c), path: c.node.path, field: 'construct', message });
    }
    for (const entry of c.node.metadata) {
      if (entry.type === WARNING_METADATA) {
        onWarning(entry.data as Problem);
      }
    }
    let top = topChart;
    if (top === undefined && Chart.isChart(c)) {
      top = c.node.id;
    }
    const app = appOf(c, top, appIn);
    if (top !== undefined && ApiObject.isApiObject(c)) {
      try {
        const obj = synthesizedObject(c, app ?? top);
        let list = byApp.get(top);
        if (!list) {
          list = [];
          byApp.set(top, list);
        }
        list.push(obj);
        all.push(obj);
      } catch (e) {
        problems.push({ app: app ?? top, path: c.node.path, field: 'manifest', message: `cannot be rendered: ${(e as Error).message}` });
      }
    }
    for (const child of c.node.children) {
      visit(child, top, app);
    }
  };
  visit(app, undefined, undefined);

  if ((context.handMadeSecrets ?? []).length > 0) {
    annotateHandMadeSecrets(all, context.handMadeSecrets ?? []);
  }
  const protection = pruneProtectionOf(app);
  if (protection) {
    protectDataFromPruning(all, protection);
  }
  // With HomelabApp platformFirst, which apps are the platform's, found once for the files and Argo CD's waves.
  const platformApps = isPlatformFirst(app) ? platformAppsOf(byApp) : undefined;
  if (platformApps && gitOpsToolOf(app) === 'argocd') {
    orderPlatformFirstForArgo(byApp, platformApps);
  }
  const layout = keptLayoutOf(app);
  // The ApplySet's type and parent, checked with the rest.
  const applySetFiles = layout ? applySetFilesOf(layout) : [];
  all.push(...applySetFiles.flatMap((f) => f.objects));
  for (const check of checks) {
    for (const p of check(all, context)) {
      if (p.warning) {
        onWarning(p);
      } else {
        problems.push(p);
      }
    }
  }
  if (recorded.length > 0 || problems.length > 0) {
    throw new HomelabError([...recorded, ...withoutAppsOf(recorded, problems)]);
  }

  // An app whose data may go, said for the GitOps tool (GitOpsSync pruneDataOf), may lose it to kubectl's pruning too.
  const prunable = layout ? new Set([...layout.prunableApps, ...(protection?.prunableApps ?? [])]) : undefined;
  const files = [...filesOf(byApp, prunable, platformApps), ...applySetFiles];
  return files.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}

/** The files of applyset/: the ApplySet's CRD (the package's, as shipped in crds/) and its parent. */
function applySetFilesOf(layout: KeptLayout): SynthesizedFile[] {
  const crd = yamlLibrary().parse(fs.readFileSync(path.join(packageRoot(), APPLY_SET_CRD_SOURCE), 'utf8')) as Manifest;
  const file = (fileName: string, at: string, manifest: Manifest) => ({ fileName, app: APPLY_SET_APP, objects: [{ app: APPLY_SET_APP, path: at, manifest }] });
  return [file(APPLYSET_CRD_FILE, 'ApplySet/CustomResourceDefinition', crd), file(APPLYSET_PARENT_FILE, 'ApplySet', applySetParent(layout.parentName))];
}

/**
 * The files of the synthesized objects, one per top-level chart, each in
 * apply order (KIND_ORDER); with the apps whose data may be pruned (HomelabApp
 * `applySet`), the data of the others apart in kept/; with the platform's apps
 * (HomelabApp `platformFirst`), each app in platform/ or apps/.
 */
function filesOf(
  byApp: ReadonlyMap<string, SynthesizedObject[]>,
  prunable: ReadonlySet<string> | undefined,
  platformApps: ReadonlySet<string> | undefined,
): SynthesizedFile[] {
  const files: SynthesizedFile[] = [];
  for (const [appName, objects] of byApp) {
    const ordered = objects
      .map((o, i) => ({ o, i, rank: KIND_RANK.get(o.manifest.kind) ?? KIND_ORDER.length }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map((x) => x.o);
    // For kubectl's ApplySet pruning, the data to keep goes apart: kept/<app>.k8s.yaml, applied without pruning.
    const kept = prunable ? ordered.filter((o) => isKeptData(o, prunable)) : [];
    const rest = prunable && kept.length > 0 ? ordered.filter((o) => !isKeptData(o, prunable)) : ordered;
    if (kept.length > 0) {
      files.push({ fileName: `${KEPT_FOLDER}/${appName}.k8s.yaml`, app: appName, objects: kept });
    }
    if (rest.length > 0 || kept.length === 0) {
      const folder = platformApps ? `${platformApps.has(appName) ? PLATFORM_FOLDER : APPS_FOLDER}/` : '';
      files.push({ fileName: `${folder}${appName}.k8s.yaml`, app: appName, objects: rest });
    }
  }
  return files;
}

/**
 * The problems that are not of an app whose props already have problems: its
 * objects were built from the bad props, so what the checks find in them
 * would only repeat those problems in other words. Problems that other apps
 * have with it (two apps on one host) are theirs, and are kept.
 */
export function withoutAppsOf(recorded: readonly Problem[], problems: readonly Problem[]): Problem[] {
  const failed = new Set(recorded.map((p) => p.app));
  return problems.filter((p) => !failed.has(p.app));
}

/**
 * Renders a file's objects as multi-document YAML, byte for byte as cdk8s's
 * `Yaml.stringify` writes them (with our writer, which is several times faster;
 * an object holding more than JSON data goes through cdk8s).
 */
export function renderYaml(file: SynthesizedFile): string {
  return file.objects.map((o) => tryWriteYaml(o.manifest, CDK8S_YAML_STYLE) ?? Yaml.stringify(o.manifest)).join('---\n');
}

/** The environment variable that makes a synth a plan run (`cdk8s-homelab diff`): the folder it writes into instead. */
export const PLAN_OUTDIR_VARIABLE = 'CDK8S_HOMELAB_PLAN_OUTDIR';

/**
 * The folder a plan run writes into (the variable's value), whatever the
 * App's own `outdir`: `cdk8s-homelab diff` synthesizes there and compares,
 * leaving `dist/` (and the diagram, and the cdk8s CLI's folder) untouched.
 */
export function planOutdir(): string | undefined {
  return process.env[PLAN_OUTDIR_VARIABLE] || undefined;
}

/**
 * The folder that receives a copy of the manifests: `explicit`, else the
 * cdk8s CLI's CDK8S_OUTDIR (an empty one means "not set", never the working
 * folder); none when that is `outdir` itself.
 */
export function mirrorOutdirOf(outdir: string, explicit?: string): string | undefined {
  const mirror = explicit ?? (process.env.CDK8S_OUTDIR || undefined);
  return mirror !== undefined && path.resolve(mirror) !== path.resolve(outdir) ? mirror : undefined;
}

/**
 * Replaces `mirror` with a copy of the manifests in `outdir` (subfolders
 * included), atomically like {@link writeFilesAtomically}.
 */
export function mirrorManifests(outdir: string, mirror: string): void {
  const root = path.resolve(outdir);
  const files = fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => fs.statSync(path.join(root, name)).isFile())
    .sort();
  function* contents(): Generator<[string, string]> {
    for (const name of files) {
      yield [name, fs.readFileSync(path.join(root, name), 'utf8')];
    }
  }
  writeFilesAtomically(mirror, contents());
}

/**
 * Writes synthesized files into `outdir` as YAML, as a whole (see
 * {@link writeFilesAtomically}): each is rendered as it is written, under the
 * relative path it comes with, so a large cluster never holds all of its YAML
 * in memory. Then replaces `mirrorOutdir`, if given, with a copy.
 */
export function writeManifests(outdir: string, files: Iterable<readonly [string, SynthesizedFile]>, mirrorOutdir?: string): void {
  function* rendered(): Generator<[string, string]> {
    for (const [name, file] of files) {
      yield [name, renderYaml(file)];
    }
  }
  // A plan run (cdk8s-homelab diff) writes into its own folder, and nowhere else.
  const plan = planOutdir();
  writeFilesAtomically(plan ?? outdir, rendered());
  if (mirrorOutdir !== undefined && plan === undefined) {
    mirrorManifests(outdir, mirrorOutdir);
  }
}

/** One ApiObject as the checks see it: its app, its path, its manifest, and the Helm values it carries. */
function synthesizedObject(c: ApiObject, app: string): SynthesizedObject {
  const manifest = c.toJson() as Manifest;
  // Helm values travel with their object, as the construct that wrote them knows them.
  const { helmValues } = c as HelmValuesCarrier;
  return helmValues ? { app, path: c.node.path, manifest, helmValues } : { app, path: c.node.path, manifest };
}

/**
 * Every ApiObject of the App under a top-level Chart, rendered, without
 * running construct validations (for a check that runs as one of them);
 * objects that cannot be rendered are left to cdk8s to report.
 */
export function collectObjects(app: IConstruct): SynthesizedObject[] {
  const all: SynthesizedObject[] = [];
  const visit = (c: IConstruct, topChart: string | undefined, appIn: string | undefined): void => {
    const top = topChart ?? (Chart.isChart(c) ? c.node.id : undefined);
    const app = appOf(c, top, appIn);
    if (top !== undefined && ApiObject.isApiObject(c)) {
      try {
        all.push(synthesizedObject(c, app ?? top));
      } catch {
        // cdk8s reports it when it renders the object
      }
    }
    for (const child of c.node.children) {
      visit(child, top, app);
    }
  };
  visit(app, undefined, undefined);
  return all;
}

/**
 * The app an object under `c` belongs to: the top-level chart's id, or the
 * AppStack's inside it (an app in a SharedNamespace), so that problems name the app.
 */
function appOf(c: IConstruct, top: string | undefined, appIn: string | undefined): string | undefined {
  if (top === undefined) {
    return undefined;
  }
  return appIn !== undefined && Chart.isChart(c) && hasBrand(c, 'AppStack') ? c.node.id : (appIn ?? top);
}
