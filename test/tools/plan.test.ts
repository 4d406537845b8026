import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../lib';
import { planChanges, readManifestFolder, readManifestsAtRef } from '../../lib/tools/plan';
import { formatPlan } from '../../lib/tools/plan-format';
import { copyProject } from '../helpers';

const deployment = (name: string, image: string): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: name },
  spec: { template: { spec: { containers: [{ name, image }] } } },
});
const namespace = (name: string): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const claim = (name: string): Manifest => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: name } });

describe('the plan of a change', () => {
  it('lists added, removed and changed objects per environment, each change as a field path with old and new values', () => {
    const before = new Map([
      ['prod/blog.k8s.yaml', [namespace('blog'), deployment('blog', 'ghcr.io/julesfrn/gazette:1.4.2')]],
      ['prod/wiki.k8s.yaml', [namespace('wiki'), claim('wiki'), deployment('wiki', 'wiki:2.5')]],
    ]);
    const after = new Map([
      ['prod/blog.k8s.yaml', [namespace('blog'), deployment('blog', 'ghcr.io/julesfrn/gazette:1.4.3')]],
      ['prod/notes.k8s.yaml', [namespace('notes'), deployment('notes', 'notes:1.0.0')]],
    ]);
    const plan = planChanges(before, after);
    expect(plan.added.map((o) => `${o.environment} ${o.kind} ${o.namespace}/${o.name}`)).toEqual(['prod Namespace /notes', 'prod Deployment.apps notes/notes']);
    expect(plan.removed.map((o) => `${o.kind} ${o.name}`)).toEqual(['Namespace wiki', 'Deployment.apps wiki', 'PersistentVolumeClaim wiki']);
    expect(plan.dataLoss.map((o) => o.kind)).toEqual(['Namespace', 'PersistentVolumeClaim']);
    expect(plan.changed).toEqual([
      {
        environment: 'prod',
        kind: 'Deployment.apps',
        namespace: 'blog',
        name: 'blog',
        changes: [{ path: 'spec.template.spec.containers[0].image', before: 'ghcr.io/julesfrn/gazette:1.4.2', after: 'ghcr.io/julesfrn/gazette:1.4.3' }],
      },
    ]);
    const text = formatPlan(plan);
    expect(text).toContain('Plan: 2 to add, 1 to change, 3 to remove, 2 removal(s) that delete data');
    expect(text).toContain('  - Namespace wiki (data loss: deletes everything in it, volumes included)');
    expect(text).toContain('      spec.template.spec.containers[0].image: "ghcr.io/julesfrn/gazette:1.4.2" → "ghcr.io/julesfrn/gazette:1.4.3"');
    expect(formatPlan(plan, 'markdown')).toContain('- removed PersistentVolumeClaim `wiki/wiki` **(data loss: deletes the volume)**');
  });

  it('tells a removal the GitOps tool keeps (its keep annotation) from one that deletes data', () => {
    const kept = { ...namespace('wiki'), metadata: { name: 'wiki', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } } };
    const plan = planChanges(new Map([['prod/wiki.k8s.yaml', [kept, claim('wiki')]]]), new Map());
    expect([plan.kept.map((o) => o.kind), plan.dataLoss.map((o) => o.kind)]).toEqual([['Namespace'], ['PersistentVolumeClaim']]);
    expect(formatPlan(plan)).toContain('Plan: 0 to add, 0 to change, 2 to remove, 1 removal(s) that delete data, 1 kept when pruning');
    expect(formatPlan(plan)).toContain('  - Namespace wiki (kept when pruning: its data stays until you delete it)');
    // So is what leaves kept/ (HomelabApp applySet), which kubectl applies without pruning; a layer folder is no such place.
    const apart = planChanges(
      new Map([
        ['prod/kept/wiki.k8s.yaml', [namespace('wiki'), claim('wiki')]],
        ['prod/apps/blog.k8s.yaml', [namespace('blog')]],
      ]),
      new Map(),
    );
    expect([apart.kept.map((o) => o.name), apart.dataLoss.map((o) => o.name)]).toEqual([['wiki', 'wiki'], ['blog']]);
  });

  it('never shows a Secret value, only that it changed', () => {
    const secret = (v: string): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'wiki' }, data: { password: v } });
    const plan = planChanges(new Map([['db.k8s.yaml', [secret('b2xk')]]]), new Map([['db.k8s.yaml', [secret('bmV3')]]]));
    expect(plan.changed[0].changes).toEqual([{ path: 'data.password', hidden: true }]);
    const text = formatPlan(plan);
    expect(text).not.toMatch(/b2xk|bmV3/);
    expect(text).toContain('data.password: changed (a Secret value, not shown)');
    expect(formatPlan(planChanges(new Map(), new Map()))).toBe('Plan: no changes\n');
    // A key with dots or slashes (a label, an annotation) is quoted in brackets, so the path reads unambiguously.
    const labelled = (v: string): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'app.kubernetes.io/name': v } } });
    expect(planChanges(new Map([['c.k8s.yaml', [labelled('a')]]]), new Map([['c.k8s.yaml', [labelled('b')]]])).changed[0].changes).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/name"]', before: 'a', after: 'b' },
    ]);
  });

  it('reads the output folder of a Git revision', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-plan-git-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    fs.mkdirSync(path.join(repo, 'dist', 'prod'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'dist', 'prod', 'blog.k8s.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blog\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'dist');
    fs.rmSync(path.join(repo, 'dist'), { recursive: true });
    expect([...readManifestsAtRef('HEAD', 'dist', repo)]).toEqual([['prod/blog.k8s.yaml', [namespace('blog')]]]);
    expect(readManifestFolder(path.join(repo, 'dist')).size).toBe(0);
    fs.rmSync(repo, { recursive: true, force: true });
  });
});

describe('cdk8s-homelab diff on the example project', () => {
  let work: string;
  const diff = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(work, 'build', 'bin', 'cdk8s-homelab.js'), 'diff', ...args], { cwd: work, encoding: 'utf8' });

  beforeAll(() => {
    work = copyProject('homelab-diff-', ['.cdk8s.out']);
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('exits 0 with no change, 1 with the plan of a new image tag, a removed app and a new one, 2 when synth fails; dist/ untouched', () => {
    const distBefore = fs.readFileSync(path.join(work, 'dist', 'prod', 'apps', 'whoami.k8s.yaml'), 'utf8');
    const svgBefore = fs.readFileSync(path.join(work, 'docs', 'cluster.svg'), 'utf8');
    const same = diff();
    expect([same.status, same.stdout], same.stderr).toEqual([0, 'Plan: no changes\n']);

    const edit = (file: string, from: string | RegExp, to: string) => {
      const p = path.join(work, 'apps', file);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(from, to));
    };
    edit('whoami.ts', 'traefik/whoami:v1.10.3', 'traefik/whoami:v1.10.4');
    edit('index.ts', /import \{ vaultwarden \} from '.\/vaultwarden';\n/, '');
    edit('index.ts', '  vaultwarden(scope, env);\n', '');
    fs.writeFileSync(
      path.join(work, 'apps', 'notes.ts'),
      "import type { Construct } from 'constructs';\nimport { AppStack } from '../lib';\n\nexport function notes(scope: Construct): void {\n  new AppStack(scope, 'notes', { image: 'ghcr.io/julesfrn/notes:1.0.0', port: 8080, expose: 'none' });\n}\n",
    );
    edit('index.ts', "import { nodeExporter } from './node-exporter';", "import { nodeExporter } from './node-exporter';\nimport { notes } from './notes';");
    edit('index.ts', '  whoami(scope, env);', '  whoami(scope, env);\n  notes(scope);');
    const changed = diff('--format', 'markdown');
    expect(changed.status, changed.stderr).toBe(1);
    // Flux keeps the removed app's Namespace and volume (GitOpsSync): no data loss, said so.
    expect(changed.stdout).toMatch(/^## Plan\n\*\*8 to add, 2 to change, 20 to remove, 4 kept when pruning\*\*/);
    expect(changed.stdout).toContain(
      '- changed Deployment.apps `whoami/whoami`\n  - `spec.template.spec.containers[0].image`: `"traefik/whoami:v1.10.3"` → `"traefik/whoami:v1.10.4"`',
    );
    expect(changed.stdout).toContain('- removed PersistentVolumeClaim `vaultwarden/vaultwarden-data` (kept when pruning: its data stays until you delete it)');
    expect(changed.stdout).toContain('- added Deployment.apps `notes/notes`');

    edit('whoami.ts', "env.host('whoami')", "'whoami..example.com'");
    const failed = diff();
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(
      /^synth failed \(npm run -s synth\), nothing compared:[\s\S]*whoami: props\.host "whoami\.\.example\.com" is not a valid DNS name/,
    );
    expect(fs.readFileSync(path.join(work, 'dist', 'prod', 'apps', 'whoami.k8s.yaml'), 'utf8')).toBe(distBefore);
    expect(fs.readFileSync(path.join(work, 'docs', 'cluster.svg'), 'utf8')).toBe(svgBefore);
  });
});
