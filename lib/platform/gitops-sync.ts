import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ApplicationProps } from '../../imports/argocd-applications-argoproj.io';
import type { KustomizationProps } from '../../imports/flux-kustomize-kustomizations-kustomize.toolkit.fluxcd.io';
import type { GitRepositoryProps } from '../../imports/flux-source-gitrepositories-source.toolkit.fluxcd.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { recommendedLabels } from '../core/labels';
import { APPLYSET_FOLDER, APPS_FOLDER, isPlatformFirst, KEPT_FOLDER, PLATFORM_FOLDER, setGitOpsTool } from '../core/output-layers';
import { freeScope, PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { keptLayoutOf, setPruneProtection } from '../core/prune-protection';
import { isDnsLabel, isDnsSubdomain, isGoDuration } from '../core/value-rules';
import { HomelabApp } from '../synth/homelab-app';

/** The Git repository the cluster is synced from. */
export interface GitSource {
  /** Its URL: `https://...` or `ssh://git@...`. */
  readonly url: string;
  /**
   * The branch to follow.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * A Secret (in the GitOps tool's namespace) with the credentials of a private repository.
   * @default - none: a public repository
   */
  readonly secretName?: string;
}

/** Props of {@link GitOpsSync}. */
export interface GitOpsSyncProps {
  /** The GitOps tool of the cluster: Flux (a GitRepository and a Kustomization) or Argo CD (an Application). */
  readonly tool: 'flux' | 'argocd';
  /** The repository that holds `dist/`. */
  readonly repository: GitSource;
  /**
   * The folder of this environment's manifests in the repository.
   * @default - `dist/<environment>` (the HomelabApp's), or `dist` without environments
   */
  readonly path?: string;
  /**
   * The name of the sync objects.
   * @default - `homelab-<environment>`, or `homelab`
   */
  readonly name?: string;
  /**
   * How often the tool compares the cluster with Git (Flux), as a duration.
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * Delete from the cluster what leaves Git (an app removed from `apps/`).
   * Namespaces and PersistentVolumeClaims are kept even so, unless their app
   * is in `pruneDataOf`.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * The apps whose Namespace and PersistentVolumeClaims may be pruned with
   * them (their data is then deleted when they leave Git).
   * @default - none: every app's data is kept
   */
  readonly pruneDataOf?: string[];
  /**
   * Flux Kustomizations this one waits for (e.g. the `infrastructure` that installs the CRDs the apps use).
   * @default - none
   */
  readonly dependsOn?: string[];
  /**
   * The API server the environment's objects go to (Argo CD, which may
   * manage several clusters); Flux runs in each cluster it syncs.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly cluster?: string;
}

/** The prop names of {@link GitOpsSyncProps}, to find unknown ones at run time. */
const GITOPS_SYNC_PROPS_FIELDS: PropNames<GitOpsSyncProps> = {
  tool: 'string',
  repository: 'object',
  path: 'string?',
  name: 'string?',
  interval: 'string?',
  prune: 'boolean?',
  pruneDataOf: 'string[]?',
  dependsOn: 'string[]?',
  cluster: 'string?',
};

/** The prop names of {@link GitSource}, to find unknown ones at run time. */
const GIT_SOURCE_FIELDS: PropNames<GitSource> = { url: 'string', branch: 'string?', secretName: 'string?' };

/** Where each tool keeps its objects. */
const TOOL_NAMESPACE = { flux: 'flux-system', argocd: 'argocd' } as const;

/**
 * The GitOps side of an environment: what makes the cluster follow its
 * folder of `dist/`. With Flux, a GitRepository and a Kustomization (prune,
 * wait for the objects to be ready, health reported; `dependsOn` to order it
 * after another); with Argo CD, an Application (automated sync, prune,
 * self-heal) for the environment's cluster. Its file lands in the folder
 * it syncs: apply it once by hand (e.g. `kubectl apply -f dist/prod/gitops.k8s.yaml`,
 * or `dist/prod/platform/gitops.k8s.yaml` with HomelabApp `platformFirst`),
 * and the tool keeps it (Argo CD skips it, as it lives in Argo CD's cluster).
 * With `platformFirst`, the platform is synced before the apps.
 * While it prunes, every Namespace and PersistentVolumeClaim is annotated to
 * be kept, unless its app is in `pruneDataOf`.
 */
export class GitOpsSync extends Chart {
  /** The name of the sync objects. */
  public readonly syncName: string;
  /** The repository folder it syncs. */
  public readonly path: string;
  /** The objects it emits: GitRepository and Kustomization, or Application. */
  public readonly resources: readonly ManifestObject[];

  constructor(scope: Construct, id: string, props: GitOpsSyncProps) {
    super(freeScope(scope, id, 'app'), id, { disableResourceNameHashes: true });
    const environment = HomelabApp.tryOf(this)?.environment;
    this.syncName = props.name ?? (environment ? `homelab-${environment}` : 'homelab');
    this.path = props.path ?? (environment ? `dist/${environment}` : 'dist');
    checkGitOpsSync(new PropChecker(this), props, this.syncName, this.path);
    setGitOpsTool(this, props.tool);
    if (props.prune ?? true) {
      setPruneProtection(this, { tool: props.tool, prunableApps: [...(props.pruneDataOf ?? [])] });
    }
    const labels = recommendedLabels(id);
    this.resources = props.tool === 'flux' ? this.flux(props, labels) : [this.argocd(props, labels, id)];
  }

  /**
   * Flux: the GitRepository of the repository, and the Kustomization of the
   * folder; with HomelabApp `platformFirst`, one Kustomization per layer, each
   * waiting for the one before (the kept data, never pruned, then the platform,
   * then the apps).
   */
  private flux(props: GitOpsSyncProps, labels: Record<string, string>): ManifestObject[] {
    const interval = props.interval ?? '10m';
    const source: Json<GitRepositoryProps> = {
      metadata: { name: this.syncName, namespace: TOOL_NAMESPACE.flux, labels },
      spec: {
        interval,
        url: props.repository.url,
        ref: { branch: props.repository.branch ?? 'main' },
        secretRef: props.repository.secretName ? { name: props.repository.secretName } : undefined,
      },
    };
    const objects = [new ManifestObject(this, 'GitRepository', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', ...source })];
    let dependsOn = props.dependsOn;
    for (const stage of this.fluxStages(props.prune ?? true)) {
      const sync: Json<KustomizationProps> = {
        metadata: { name: stage.name, namespace: TOOL_NAMESPACE.flux, labels },
        spec: {
          interval,
          // A failed sync (custom resources whose CRDs a chart is still installing) is retried soon, not an interval later.
          retryInterval: '1m',
          sourceRef: { kind: 'GitRepository', name: this.syncName },
          path: `./${stage.path}`,
          prune: stage.prune,
          wait: stage.wait,
          timeout: '5m',
          dependsOn: dependsOn?.map((name) => ({ name })),
        },
      };
      objects.push(new ManifestObject(this, stage.id, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', ...sync }));
      dependsOn = [stage.name];
    }
    return objects;
  }

  /** The Kustomizations of Flux, in the order they apply: the whole folder, or its layers. */
  private fluxStages(prune: boolean): { id: string; name: string; path: string; prune: boolean; wait: boolean }[] {
    if (!isPlatformFirst(this)) {
      return [{ id: 'Kustomization', name: this.syncName, path: this.path, prune, wait: true }];
    }
    // The data is applied, not waited for: a claim of a WaitForFirstConsumer class (local-path)
    // stays Pending until its pod, two stages later, is scheduled.
    const data = keptLayoutOf(this)
      ? [{ id: 'DataKustomization', name: `${this.syncName}-data`, path: `${this.path}/${KEPT_FOLDER}`, prune: false, wait: false }]
      : [];
    return [
      ...data,
      { id: 'PlatformKustomization', name: `${this.syncName}-platform`, path: `${this.path}/${PLATFORM_FOLDER}`, prune, wait: true },
      { id: 'Kustomization', name: this.syncName, path: `${this.path}/${APPS_FOLDER}`, prune, wait: true },
    ];
  }

  /**
   * Argo CD: an Application of the folder (this file left out), synced
   * automatically; with HomelabApp `platformFirst`, the platform's objects are
   * in an earlier wave, and the apps' custom resources whose definitions the
   * platform has yet to install are applied without a dry run, retried.
   */
  private argocd(props: GitOpsSyncProps, labels: Record<string, string>, id: string): ManifestObject {
    const prune = props.prune ?? true;
    const layered = isPlatformFirst(this);
    const kept = keptLayoutOf(this) !== undefined;
    const ownFile = layered ? `${PLATFORM_FOLDER}/${id}.k8s.yaml` : `${id}.k8s.yaml`;
    // `repoURL` is spelled `repoUrl` in the generated types (see Json); the schema check reads the JSON.
    const source = {
      repoURL: props.repository.url,
      targetRevision: props.repository.branch ?? 'main',
      path: this.path,
      // With HomelabApp applySet or platformFirst, the objects are in the folder's kept/, platform/ and apps/;
      // applyset/ (the ApplySet's parent and its CRD) is for kubectl alone.
      directory: { recurse: layered || kept, exclude: kept ? `{${ownFile},${APPLYSET_FOLDER}/*}` : ownFile },
    };
    const app: Json<ApplicationProps> = {
      metadata: { name: this.syncName, namespace: TOOL_NAMESPACE.argocd, labels },
      spec: {
        project: 'default',
        source: source as unknown as NonNullable<Json<ApplicationProps>['spec']['source']>,
        destination: { server: props.cluster ?? 'https://kubernetes.default.svc' },
        syncPolicy: {
          automated: { prune, selfHeal: true },
          syncOptions: layered ? ['SkipDryRunOnMissingResource=true'] : undefined,
          retry: layered ? { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } } : undefined,
        },
      },
    };
    return new ManifestObject(this, 'Application', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app });
  }
}

/** Every problem of the props: a known tool, a repository URL, names, durations, Flux-only and Argo-only options. */
function checkGitOpsSync(checker: PropChecker, props: GitOpsSyncProps, name: string, path: string): void {
  checker.checkShape('props', props, GITOPS_SYNC_PROPS_FIELDS, 'GitOpsSync');
  checker.checkShape('props.repository', props.repository, GIT_SOURCE_FIELDS, 'GitSource');
  checker.throwIfIncomplete();
  checker.check(props.tool === 'flux' || props.tool === 'argocd', 'props.tool', props.tool, 'must be "flux" or "argocd"');
  checker.check(
    /^(https:\/\/|ssh:\/\/)\S+$/.test(props.repository.url),
    'props.repository.url',
    props.repository.url,
    'is not a Git repository URL',
    'use https://... or ssh://git@...',
  );
  checker.check(isDnsSubdomain(name), 'props.name', name, 'is not a valid object name');
  checker.check(!path.startsWith('/') && !path.split('/').includes('..'), 'props.path', path, 'must be a folder inside the repository', 'write e.g. dist/prod');
  if (props.interval !== undefined) {
    checker.check(isGoDuration(props.interval), 'props.interval', props.interval, 'is not a duration', 'write e.g. 10m or 1h');
  }
  if (props.repository.secretName !== undefined) {
    checker.check(isDnsSubdomain(props.repository.secretName), 'props.repository.secretName', props.repository.secretName, 'is not a valid Secret name');
  }
  for (const [i, dep] of (props.dependsOn ?? []).entries()) {
    checker.check(isDnsSubdomain(dep), `props.dependsOn[${i}]`, dep, 'is not a valid Kustomization name');
  }
  for (const [i, app] of (props.pruneDataOf ?? []).entries()) {
    checker.check(isDnsLabel(app), `props.pruneDataOf[${i}]`, app, 'is not an app name');
  }
  checker.check(
    props.tool === 'flux' || props.dependsOn === undefined,
    'props.dependsOn',
    props.dependsOn,
    'only applies to Flux',
    'order Argo CD applications with sync waves instead',
  );
  checker.check(
    props.tool === 'argocd' || props.cluster === undefined,
    'props.cluster',
    props.cluster,
    'only applies to Argo CD: Flux syncs the cluster it runs in',
    'install Flux in each cluster and give each environment its own GitOpsSync',
  );
  checker.reportProblems();
}
