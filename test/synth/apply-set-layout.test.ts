import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppStack, GitOpsSync, type HomelabAppProps, HomelabError, synthEnvironments } from '../../lib';
import { at, find, kinds, newApp, untyped } from '../helpers';

function cluster(props: HomelabAppProps) {
  const app = newApp(props);
  new AppStack(app, 'wiki', { image: 'ghcr.io/julesfrn/wiki:2.5.0', port: 3000, expose: 'none', volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
  new AppStack(app, 'scratch', {
    image: 'ghcr.io/julesfrn/scratch:1.0.0',
    port: 8080,
    expose: 'none',
    volumes: [{ name: 'tmp', mountPath: '/x', size: '1Gi' }],
  });
  return app;
}

describe('HomelabApp applySet: an output laid out for kubectl ApplySet pruning', () => {
  it("puts each app's Namespace and claims apart in kept/, except for the apps whose data may be pruned", () => {
    const files = cluster({ applySet: { pruneDataOf: ['scratch'] } }).synthFiles();
    expect(files.map((f) => `${f.fileName}: ${kinds(f).join(' ')}`)).toEqual([
      'kept/wiki.k8s.yaml: Namespace PersistentVolumeClaim',
      'scratch.k8s.yaml: Namespace NetworkPolicy PersistentVolumeClaim Service Deployment',
      'wiki.k8s.yaml: NetworkPolicy Service Deployment',
    ]);
  });

  it('writes kept/ inside each environment folder, and Argo CD then reads the folder recursively', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-kept-'));
    synthEnvironments(
      [{ name: 'prod' }],
      () => {
        const app = cluster({ applySet: {}, environment: 'prod' });
        new GitOpsSync(app, 'gitops', { tool: 'argocd', repository: { url: 'https://github.com/julesfrn/homelab' } });
        return app;
      },
      { outdir },
    );
    expect(fs.readdirSync(path.join(outdir, 'prod', 'kept')).sort()).toEqual(['scratch.k8s.yaml', 'wiki.k8s.yaml']);
    const gitops = fs.readFileSync(path.join(outdir, 'prod', 'gitops.k8s.yaml'), 'utf8');
    expect(gitops).toContain('recurse: true');
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('keeps the default layout without it, and names a bad prop', () => {
    const files = cluster({}).synthFiles();
    expect(files.map((f) => f.fileName)).toEqual(['scratch.k8s.yaml', 'wiki.k8s.yaml']);
    expect(
      at(
        find(
          files[1].objects.map((o) => o.manifest),
          'Namespace',
          'wiki',
        ),
        'kind',
      ),
    ).toBe('Namespace');
    expect(() => newApp({ applySet: { pruneDataOf: ['Wiki'] } })).toThrow(HomelabError);
    expect(() => newApp(untyped({ applySet: { keep: [] } }))).toThrow(/props\.applySet\.keep/);
  });
});
