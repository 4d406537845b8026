import { describe, expect, it } from 'vitest';
import { AppStack, GitOpsSync, type GitOpsSyncProps, type HomelabError, type Manifest } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

const REPO = { url: 'https://github.com/julesfrn/homelab' };

function cluster(props: Partial<GitOpsSyncProps>, environment = 'prod'): Manifest[] {
  const app = newApp({ environment });
  new GitOpsSync(app, 'gitops', { tool: 'flux', repository: REPO, ...props });
  new AppStack(app, 'wiki', {
    image: 'ghcr.io/julesfrn/wiki:2.5.0',
    host: 'wiki.example.com',
    port: 3000,
    volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
  });
  new AppStack(app, 'scratch', {
    image: 'ghcr.io/julesfrn/scratch:1.0.0',
    port: 8080,
    expose: 'none',
    volumes: [{ name: 'tmp', mountPath: '/tmp/x', size: '1Gi' }],
  });
  return manifests(app);
}

describe('GitOpsSync: the cluster follows its folder of dist/', () => {
  it("emits Flux's GitRepository and Kustomization for the environment's folder, schema-checked: prune, wait, dependencies", () => {
    const all = cluster({ dependsOn: ['infrastructure'], repository: { ...REPO, branch: 'live', secretName: 'github' } });
    expect(find(all, 'GitRepository', 'homelab-prod').spec).toEqual({
      interval: '10m',
      url: 'https://github.com/julesfrn/homelab',
      ref: { branch: 'live' },
      secretRef: { name: 'github' },
    });
    expect(find(all, 'Kustomization', 'homelab-prod').spec).toEqual({
      interval: '10m',
      retryInterval: '1m',
      sourceRef: { kind: 'GitRepository', name: 'homelab-prod' },
      path: './dist/prod',
      prune: true,
      wait: true,
      timeout: '5m',
      dependsOn: [{ name: 'infrastructure' }],
    });
    expect(find(all, 'Kustomization', 'homelab-prod').metadata.namespace).toBe('flux-system');
  });

  it('keeps every Namespace and PersistentVolumeClaim when it prunes, unless their app said its data may go', () => {
    const all = cluster({ pruneDataOf: ['scratch'] });
    const keep = (kind: string, name: string) => at(find(all, kind, name), 'metadata', 'annotations', 'kustomize.toolkit.fluxcd.io/prune');
    expect([keep('Namespace', 'wiki'), keep('PersistentVolumeClaim', 'wiki-data')]).toEqual(['disabled', 'disabled']);
    expect([keep('Namespace', 'scratch'), keep('PersistentVolumeClaim', 'scratch-tmp')]).toEqual([undefined, undefined]);
    // Without pruning there is nothing to keep.
    expect(at(find(cluster({ prune: false }), 'Namespace', 'wiki'), 'metadata', 'annotations')).toBeUndefined();
  });

  it('emits an Argo CD Application for a cluster of its own, which leaves its own file out and keeps data the Argo CD way', () => {
    const all = cluster({ tool: 'argocd', cluster: 'https://192.168.1.10:6443' }, 'staging');
    expect(find(all, 'Application', 'homelab-staging').spec).toEqual({
      project: 'default',
      source: {
        repoURL: 'https://github.com/julesfrn/homelab',
        targetRevision: 'main',
        path: 'dist/staging',
        directory: { recurse: false, exclude: 'gitops.k8s.yaml' },
      },
      destination: { server: 'https://192.168.1.10:6443' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(at(find(all, 'Namespace', 'wiki'), 'metadata', 'annotations', 'argocd.argoproj.io/sync-options')).toBe('Prune=false');
  });

  it('names each problem at once', () => {
    let problems: string[] = [];
    try {
      new GitOpsSync(newApp(), 'gitops', {
        tool: 'argocd',
        repository: { url: 'github.com/julesfrn/homelab' },
        path: '../elsewhere',
        interval: 'often',
        dependsOn: ['infrastructure'],
        pruneDataOf: ['Wiki'],
      });
    } catch (e) {
      problems = (e as HomelabError).problems.map((p) => `${p.field} ${p.message}`);
    }
    expect(problems).toEqual([
      'props.repository.url is not a Git repository URL',
      'props.path must be a folder inside the repository',
      'props.interval is not a duration',
      'props.pruneDataOf[0] is not an app name',
      'props.dependsOn only applies to Flux',
    ]);
    expect(() => new GitOpsSync(newApp(), 'gitops', untyped({ tool: 'flux', repository: REPO, cluster: 'https://x:6443' }))).toThrow(
      /props\.cluster "https:\/\/x:6443" only applies to Argo CD: Flux syncs the cluster it runs in/,
    );
  });
});
