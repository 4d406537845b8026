import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppStack, Environment, GitOpsSync, type GitOpsSyncProps, HelmChartRelease, type HomelabAppProps, synthEnvironments, TraefikConfig } from '../../lib';
import { environmentOfFile } from '../../lib/core/output-layers';
import { planChanges, readManifestFolder } from '../../lib/tools/plan';
import { at, find, kinds, newApp, untyped } from '../helpers';

const REPO = { url: 'https://github.com/julesfrn/homelab' };

/** A cluster of one app, one chart, K3s's Traefik settings and, if asked, a GitOps sync. */
function cluster(props: HomelabAppProps, sync?: Partial<GitOpsSyncProps>) {
  const app = newApp({ environment: 'prod', ...props });
  new AppStack(app, 'wiki', { image: 'ghcr.io/julesfrn/wiki:2.5.0', port: 3000, expose: 'none', volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
  new HelmChartRelease(new Chart(app, 'keel', { disableResourceNameHashes: true }), 'Chart', {
    name: 'keel',
    repo: 'https://charts.keel.sh',
    chart: 'keel',
    version: '1.0.5',
    targetNamespace: 'keel',
  });
  new TraefikConfig(new Chart(app, 'traefik', { disableResourceNameHashes: true }), 'Config', {
    acme: [{ name: 'letsencrypt', email: 'acme@example.com', challenge: 'http' }],
  });
  if (sync) {
    new GitOpsSync(app, 'gitops', { tool: 'flux', repository: REPO, ...sync });
  }
  return app;
}

const layout = (props: HomelabAppProps, sync?: Partial<GitOpsSyncProps>) =>
  cluster(props, sync)
    .synthFiles()
    .map((f) => `${f.fileName}: ${kinds(f).join(' ')}`);

const objectsOf = (props: HomelabAppProps, sync?: Partial<GitOpsSyncProps>) =>
  cluster(props, sync)
    .synthFiles()
    .flatMap((f) => f.objects.map((o) => o.manifest));

describe('HomelabApp platformFirst: the platform is applied before the apps that use it', () => {
  it('writes the apps that install charts, configure Traefik or sync from Git in platform/, the rest in apps/', () => {
    expect(layout({ platformFirst: true }, {})).toEqual([
      'apps/wiki.k8s.yaml: Namespace NetworkPolicy PersistentVolumeClaim Service Deployment',
      'platform/gitops.k8s.yaml: GitRepository Kustomization Kustomization',
      'platform/keel.k8s.yaml: HelmChart',
      'platform/traefik.k8s.yaml: HelmChartConfig',
    ]);
    expect(layout({})).toEqual([
      'keel.k8s.yaml: HelmChart',
      'traefik.k8s.yaml: HelmChartConfig',
      'wiki.k8s.yaml: Namespace NetworkPolicy PersistentVolumeClaim Service Deployment',
    ]);
    expect(() => newApp(untyped({ platformFirst: 'yes' }))).toThrow(/props\.platformFirst/);
    // An environment may not take the name of a layer folder (nor could the diff then tell them apart).
    expect(() => newApp({ environment: 'apps' })).toThrow(/props\.environment "apps" is not a valid environment name/);
    expect(() => new Environment({ name: 'platform', domain: 'example.com' })).toThrow(/is the name of a folder inside each environment output/);
  });

  it('keeps the data apart in kept/ with applySet, one set for both layers', () => {
    const files = cluster({ platformFirst: true, applySet: {} }).synthFiles();
    expect(files.map((f) => f.fileName)).toEqual([
      'applyset/crd.yaml',
      'applyset/parent.yaml',
      'apps/wiki.k8s.yaml',
      'kept/wiki.k8s.yaml',
      'platform/keel.k8s.yaml',
      'platform/traefik.k8s.yaml',
    ]);
    // One parent for both layers, which kubectl applies in one run.
    expect(files.filter((f) => kinds(f).includes('ApplySet')).map((f) => f.fileName)).toEqual(['applyset/parent.yaml']);
  });

  it('gives Flux one Kustomization per layer, each waiting for the one before: data (never pruned), platform, apps', () => {
    const all = objectsOf({ platformFirst: true, applySet: {} }, { dependsOn: ['infrastructure'] });
    const stage = (name: string) => {
      const spec = find(all, 'Kustomization', name).spec as Record<string, unknown>;
      return { path: spec.path, prune: spec.prune, wait: spec.wait, dependsOn: spec.dependsOn };
    };
    // The data is not waited for: a local-path claim stays Pending until its pod, in apps/, is scheduled.
    expect([stage('homelab-prod-data'), stage('homelab-prod-platform'), stage('homelab-prod')]).toEqual([
      { path: './dist/prod/kept', prune: false, wait: false, dependsOn: [{ name: 'infrastructure' }] },
      { path: './dist/prod/platform', prune: true, wait: true, dependsOn: [{ name: 'homelab-prod-data' }] },
      { path: './dist/prod/apps', prune: true, wait: true, dependsOn: [{ name: 'homelab-prod-platform' }] },
    ]);
    // Without kept/, the platform comes first; without platformFirst, one Kustomization of the whole folder.
    const platformOnly = objectsOf({ platformFirst: true }, {});
    expect(platformOnly.filter((m) => m.kind === 'Kustomization').map((m) => m.metadata.name)).toEqual(['homelab-prod-platform', 'homelab-prod']);
    expect(at(find(platformOnly, 'Kustomization', 'homelab-prod-platform'), 'spec', 'dependsOn')).toBeUndefined();
    const flat = objectsOf({}, {});
    expect(flat.filter((m) => m.kind === 'Kustomization').map((m) => at(m, 'spec', 'path'))).toEqual(['./dist/prod']);
  });

  it('puts the platform in an earlier Argo CD sync wave, its own file left out, and retries the apps whose CRDs are not in yet', () => {
    const all = objectsOf({ platformFirst: true }, { tool: 'argocd' });
    const wave = (kind: string, name: string) => at(find(all, kind, name), 'metadata', 'annotations', 'argocd.argoproj.io/sync-wave');
    expect([wave('HelmChart', 'keel'), wave('HelmChartConfig', 'traefik'), wave('Deployment', 'wiki'), wave('Namespace', 'wiki')]).toEqual([
      '-1',
      '-1',
      undefined,
      undefined,
    ]);
    const application = find(all, 'Application', 'homelab-prod');
    expect(at(application, 'spec', 'source', 'directory')).toEqual({ recurse: true, exclude: 'platform/gitops.k8s.yaml' });
    expect(at(application, 'spec', 'syncPolicy', 'syncOptions')).toEqual(['SkipDryRunOnMissingResource=true']);
    expect(at(application, 'spec', 'syncPolicy', 'retry', 'limit')).toBe(10);
    // Flux orders with Kustomizations, so it gets no waves.
    expect(at(find(objectsOf({ platformFirst: true }, {}), 'HelmChart', 'keel'), 'metadata', 'annotations')).toBeUndefined();
  });

  it('writes the layers inside each environment folder, replaces a flat output whole, and moving to layers changes no object', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-layers-'));
    const synth = (props: HomelabAppProps) => synthEnvironments([{ name: 'prod' }], () => cluster(props, {}), { outdir });
    synth({});
    const flat = readManifestFolder(outdir);
    synth({ platformFirst: true });
    expect(fs.readdirSync(path.join(outdir, 'prod')).sort()).toEqual(['apps', 'platform']);
    expect(fs.readdirSync(path.join(outdir, 'prod', 'platform')).sort()).toEqual(['gitops.k8s.yaml', 'keel.k8s.yaml', 'traefik.k8s.yaml']);
    const plan = planChanges(flat, readManifestFolder(outdir));
    // Only the sync itself changes: one Kustomization per layer.
    expect({
      added: plan.added.map((o) => `${o.kind}/${o.name}`),
      removed: plan.removed.map((o) => `${o.kind}/${o.name}`),
      changed: plan.changed.map((o) => `${o.kind}/${o.name}: ${o.changes.map((c) => c.path).join(' ')}`),
    }).toEqual({
      added: ['Kustomization.kustomize.toolkit.fluxcd.io/homelab-prod-platform'],
      removed: [],
      changed: ['Kustomization.kustomize.toolkit.fluxcd.io/homelab-prod: spec.dependsOn spec.path'],
    });
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('tells the environment of an output file with or without layer folders, so the diff pairs an object that moved between them', () => {
    expect(
      ['prod/apps/wiki.k8s.yaml', 'prod/wiki.k8s.yaml', 'prod/kept/wiki.k8s.yaml', 'wiki.k8s.yaml', 'platform/keel.k8s.yaml'].map(environmentOfFile),
    ).toEqual(['prod', 'prod', 'prod', '', '']);
  });
});
