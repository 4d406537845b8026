import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppStack, GitOpsSync, type HomelabAppProps, HomelabError, SchemaValidator, synthEnvironments } from '../../lib';
import { applySetId } from '../../lib/core/apply-set';
import { at, find, kinds, newApp, PROJECT_ROOT, untyped } from '../helpers';

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
      'applyset/crd.yaml: CustomResourceDefinition',
      'applyset/parent.yaml: ApplySet',
      'kept/wiki.k8s.yaml: Namespace PersistentVolumeClaim',
      'scratch.k8s.yaml: Namespace NetworkPolicy PersistentVolumeClaim Service Deployment',
      'wiki.k8s.yaml: NetworkPolicy Service Deployment',
    ]);
  });

  it("also lets the data of the apps a GitOpsSync's pruneDataOf names go with them", () => {
    const app = cluster({ applySet: {} });
    new GitOpsSync(app, 'gitops', { tool: 'flux', repository: { url: 'https://github.com/julesfrn/homelab' }, pruneDataOf: ['scratch'] });
    expect(app.synthFiles().map((f) => f.fileName)).toEqual([
      'applyset/crd.yaml',
      'applyset/parent.yaml',
      'gitops.k8s.yaml',
      'kept/wiki.k8s.yaml',
      'scratch.k8s.yaml',
      'wiki.k8s.yaml',
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
    expect(fs.readdirSync(path.join(outdir, 'prod', 'applyset'))).toEqual(['crd.yaml', 'parent.yaml']);
    // Argo CD reads kept/ too, but leaves out its own file and the parent, which is kubectl's alone.
    const gitops = fs.readFileSync(path.join(outdir, 'prod', 'gitops.k8s.yaml'), 'utf8');
    expect(gitops).toContain('recurse: true');
    expect(gitops).toContain('exclude: "{gitops.k8s.yaml,applyset/*}"');
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

  it("writes the set's parent, cluster-scoped, with the specification's ID, and its CRD, each checked with the rest; no member label, which kubectl adds itself", () => {
    // kubectl's own test vector: base64url(sha256("test-foo.test-ns.Foo.foo.bar")).
    expect(applySetId({ name: 'test-foo', namespace: 'test-ns', kind: 'Foo', group: 'foo.bar' })).toBe(
      'applyset-f9Rk5tKHoB72oV1tU2iFKxDwL8MBZTjMHFQ8V9WNNlA-v1',
    );
    const files = cluster({ applySet: { pruneDataOf: ['scratch'], name: 'lab' }, environment: 'prod' }).synthFiles();
    expect(files.slice(0, 2).map((f) => `${f.fileName}: ${kinds(f).join(' ')}`)).toEqual([
      'applyset/crd.yaml: CustomResourceDefinition',
      'applyset/parent.yaml: ApplySet',
    ]);
    const parent = files[1].objects[0].manifest;
    const members = files.filter((f) => !/^(kept|applyset)\//.test(f.fileName)).flatMap((f) => f.objects.map((o) => o.manifest));
    expect(parent).toEqual({
      apiVersion: 'cdk8s-homelab.io/v1alpha1',
      kind: 'ApplySet',
      metadata: {
        name: 'lab',
        labels: {
          'applyset.kubernetes.io/id': applySetId({ name: 'lab', namespace: '', kind: 'ApplySet', group: 'cdk8s-homelab.io' }),
          'app.kubernetes.io/managed-by': 'cdk8s-homelab',
        },
        annotations: { 'applyset.kubernetes.io/contains-group-kinds': '', 'applyset.kubernetes.io/tooling': 'kubectl/v1.28' },
      },
    });
    // The CRD is the one the package ships in crds/, which the schema check knows.
    const crd = files[0].objects[0].manifest;
    expect(crd).toEqual(parse(fs.readFileSync(path.join(PROJECT_ROOT, 'crds', 'cdk8s-homelab.io_applysets.yaml'), 'utf8')));
    expect(SchemaValidator.shipped().validate(parent)).toEqual([]);
    expect(SchemaValidator.shipped().validate({ ...parent, spec: { members: [] } })).toEqual([expect.objectContaining({ field: 'spec' })]);
    expect(members.map((m) => `${m.kind}/${m.metadata.name}`)).toContain('Namespace/scratch');
    for (const m of [...members, parent]) {
      expect(Object.keys(m.metadata.labels ?? {}).filter((k) => k === 'applyset.kubernetes.io/part-of')).toEqual([]);
    }
    // The old ConfigMap parent's namespace is no prop any more.
    expect(() => newApp(untyped({ applySet: { namespace: 'default' } }))).toThrow(/props\.applySet\.namespace/);
  });
});
