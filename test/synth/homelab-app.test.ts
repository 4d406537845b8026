import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppDeployment, AppStack, type AppStackProps, HomelabApp, HomelabError, Schedule } from '../../lib';
import { writeFilesAtomically } from '../../lib/synth/atomic-output';
import { synthesizeFiles } from '../../lib/synth/synthesizer';

const PROPS: AppStackProps = { image: 'ghcr.io/julesfrn/gazette:1.4.2', host: 'gazette.julesfournier.fr', port: 80 };
const tmpDirs: string[] = [];

function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-synth-'));
  tmpDirs.push(dir);
  return dir;
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

afterEach(() => {
  for (const d of tmpDirs.splice(0)) {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe('HomelabApp.synth', () => {
  it('writes one <app>.k8s.yaml per app into outdir', () => {
    const outdir = path.join(tmp(), 'dist');
    const app = new HomelabApp({ outdir, mirrorOutdir: outdir });
    new AppStack(app, 'gazette', PROPS);
    new AppStack(app, 'portfolio', { ...PROPS, host: 'julesfournier.fr' });
    app.synth();
    expect(Object.keys(readDir(outdir))).toEqual(['gazette.k8s.yaml', 'portfolio.k8s.yaml']);
    expect(readDir(outdir)['portfolio.k8s.yaml']).toMatch(/^apiVersion: v1\nkind: Namespace\nmetadata:\n/);
  });

  it('gives byte-identical output on every run', () => {
    const build = () => {
      const app = new HomelabApp({ outdir: tmp() });
      new AppStack(app, 'gazette', { ...PROPS, env: { B: '2', A: '1' } });
      new AppStack(app, 'whoami', { ...PROPS, host: undefined, hosts: ['a.example.com', 'b.example.com'] });
      return app.renderFiles();
    };
    expect(build()).toEqual(build());
  });

  it('writes what cdk8s itself would write for the same stacks', () => {
    const ours = new HomelabApp({ outdir: tmp() });
    new AppStack(ours, 'gazette', PROPS);
    const outdir = tmp();
    const plain = new App({ outdir });
    new AppStack(plain, 'gazette', PROPS);
    plain.synth();
    expect(readDir(outdir)['gazette.k8s.yaml']).toBe(ours.renderFiles().get('gazette.k8s.yaml'));
  });

  it('replaces outdir as a whole: files of removed apps disappear', () => {
    const outdir = path.join(tmp(), 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'removed-app.k8s.yaml'), 'stale');
    const app = new HomelabApp({ outdir, mirrorOutdir: outdir });
    new AppStack(app, 'gazette', PROPS);
    app.synth();
    expect(Object.keys(readDir(outdir))).toEqual(['gazette.k8s.yaml']);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });

  it('copies the manifests to the mirror folder the cdk8s CLI reads', () => {
    const root = tmp();
    const app = new HomelabApp({ outdir: path.join(root, 'dist'), mirrorOutdir: path.join(root, '.cdk8s.out') });
    new AppStack(app, 'gazette', PROPS);
    app.synth();
    expect(readDir(path.join(root, '.cdk8s.out'))).toEqual(readDir(path.join(root, 'dist')));
  });

  it('never replaces a folder it does not own: the working folder, its parents, or one holding other files', () => {
    const root = tmp();
    const project = path.join(root, 'project');
    fs.mkdirSync(path.join(project, '.git'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), '{}');
    const files = new Map([['a.k8s.yaml', 'x: 1\n']]);
    expect(() => writeFilesAtomically(project, files)).toThrow(/refusing to replace .*project: it holds .*(\.git|package\.json)/);
    expect(() => writeFilesAtomically('', files)).toThrow(/refusing to write manifests: the output folder is an empty string/);
    expect(() => writeFilesAtomically(process.cwd(), files)).toThrow(/it is the working folder or one of its parents/);
    expect(() => writeFilesAtomically(path.dirname(process.cwd()), files)).toThrow(/it is the working folder or one of its parents/);
    expect(fs.readdirSync(project).sort()).toEqual(['.git', 'package.json']);
    const manifestsOnly = path.join(root, 'out');
    fs.mkdirSync(path.join(manifestsOnly, 'staging'), { recursive: true });
    fs.writeFileSync(path.join(manifestsOnly, 'staging', 'old.k8s.yaml'), 'y: 2\n');
    writeFilesAtomically(manifestsOnly, files);
    expect(readDir(manifestsOnly)).toEqual({ 'a.k8s.yaml': 'x: 1\n' });
  });

  it('treats an empty CDK8S_OUTDIR as unset', () => {
    const saved = process.env.CDK8S_OUTDIR;
    try {
      process.env.CDK8S_OUTDIR = '';
      expect(new HomelabApp({ outdir: path.join(tmp(), 'dist') }).mirrorOutdir).toBeUndefined();
    } finally {
      if (saved === undefined) {
        delete process.env.CDK8S_OUTDIR;
      } else {
        process.env.CDK8S_OUTDIR = saved;
      }
    }
  });

  it('mirrors to CDK8S_OUTDIR by default, and not when it is outdir itself', () => {
    const root = tmp();
    const saved = process.env.CDK8S_OUTDIR;
    try {
      process.env.CDK8S_OUTDIR = path.join(root, 'out');
      expect(new HomelabApp({ outdir: path.join(root, 'dist') }).mirrorOutdir).toBe(path.join(root, 'out'));
      expect(new HomelabApp({ outdir: path.join(root, 'out') }).mirrorOutdir).toBeUndefined();
    } finally {
      if (saved === undefined) {
        delete process.env.CDK8S_OUTDIR;
      } else {
        process.env.CDK8S_OUTDIR = saved;
      }
    }
  });

  it('fails if two apps claim one namespace (one problem, not one per object they would both write), and leaves outdir untouched', () => {
    const outdir = path.join(tmp(), 'dist');
    const good = new HomelabApp({ outdir, mirrorOutdir: outdir });
    new AppStack(good, 'gazette', PROPS);
    good.synth();
    const before = readDir(outdir);

    const bad = new HomelabApp({ outdir, mirrorOutdir: outdir });
    new AppStack(bad, 'gazette', PROPS);
    new AppStack(bad, 'blog', { ...PROPS, namespace: 'gazette', host: 'blog.julesfournier.fr' });
    expect(() => bad.synthFiles()).toThrow(HomelabError);
    expect(() => bad.synthFiles()).toThrow(
      /^blog: props\.namespace "gazette" is already the namespace of app gazette; give blog its own namespace \(leave namespace out and it is "blog"\), or create both apps in a SharedNamespace to share one \(at blog\)$/,
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      bad.synth();
      expect(process.exitCode).toBe(1);
      expect(String(stderr.mock.calls[0][0])).toBe(`synth failed, ${outdir}/ left as it was: 1 problem(s)\n`);
    } finally {
      stderr.mockRestore();
      process.exitCode = undefined;
    }
    expect(readDir(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });

  it('orders each file for kubectl apply whatever the construct order: Namespace first, routes last', () => {
    const app = new HomelabApp({ outdir: tmp() });
    const chart = new Chart(app, 'tools');
    new ApiObject(chart, 'Route', { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'r', namespace: 'tools' } });
    new ApiObject(chart, 'Custom', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'tools' } });
    new ApiObject(chart, 'Deploy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'tools' } });
    new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'tools' } });
    new ApiObject(chart, 'Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools' } });
    const [file] = synthesizeFiles(app);
    expect(file.objects.map((o) => o.manifest.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment', 'IngressRoute', 'Widget']);
  });

  it('fails if a construct validation fails, naming the construct', () => {
    const app = new HomelabApp({ outdir: tmp() });
    const chart = new Chart(app, 'custom');
    const obj = new ApiObject(chart, 'Thing', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'thing' } });
    obj.node.addValidation({ validate: () => ['the thing is wrong'] });
    expect(() => app.synthFiles()).toThrow(/custom: construct the thing is wrong \(at custom\/Thing\)/);
  });
});

describe('a plain cdk8s App', () => {
  it('runs the whole-cluster checks when it synthesizes, writes nothing when they fail, and checks once per synth', () => {
    const outdir = tmp();
    const plain = new App({ outdir });
    new AppStack(plain, 'gazette', PROPS);
    new AppStack(plain, 'copy', PROPS); // the same host
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => plain.synth()).toThrow(HomelabError);
      expect(() => plain.synth()).toThrow(/IngressRoute\/copy-websecure .*gazette\.julesfournier\.fr.* is already routed/);
      expect(fs.readdirSync(outdir)).toEqual([]);
      // Valid: written, and the checks' warning (no Traefik configuration declares the resolver) printed once, not once per chart.
      const ok = new App({ outdir });
      new AppStack(ok, 'gazette', PROPS);
      new AppStack(ok, 'portfolio', { ...PROPS, host: 'julesfournier.fr' });
      stderr.mockClear();
      ok.synth();
      const warnings = stderr.mock.calls.map((c) => String(c[0])).filter((line) => line.includes('HL-undeclared-cert-resolver'));
      expect(warnings).toHaveLength(1); // one run of the checks, though cdk8s validates again for each of the two charts
      expect(fs.readdirSync(outdir).sort()).toEqual(['gazette.k8s.yaml', 'portfolio.k8s.yaml']);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('problems of every app and of the whole cluster, in one run', () => {
  const LATEST = { ...PROPS, image: 'ghcr.io/julesfrn/gazette:latest', host: 'a.julesfournier.fr' };

  function problemsOf(app: App | HomelabApp): string[] {
    try {
      if (HomelabApp.isHomelabApp(app)) {
        app.synthFiles();
      } else {
        app.synth();
      }
    } catch (e) {
      expect(HomelabError.isHomelabError(e), String(e)).toBe(true);
      return (e as HomelabError).problems.map((p) => `${p.app}: ${p.field}`);
    }
    return [];
  }

  it('an app with a bad prop does not hide two others on one host, nor a cron job its second mistake', () => {
    const app = new HomelabApp({ outdir: '/nonexistent' });
    // Constructs without throwing.
    new AppStack(app, 'a', { ...LATEST, cronJobs: [{ name: 'x', schedule: Schedule.cron('61 * * * *'), command: ['x'], timeZone: 'Paris' }] });
    new AppStack(app, 'b', { ...PROPS, host: 'same.julesfournier.fr' });
    new AppStack(app, 'c', { ...PROPS, host: 'same.julesfournier.fr' });
    expect(problemsOf(app)).toEqual([
      'a: props.image',
      'a: props.cronJobs[0].schedule',
      'a: props.cronJobs[0].timeZone',
      'c: IngressRoute/c-web spec.routes[0].match',
      'c: IngressRoute/c-websecure spec.routes[0].match',
    ]);
  });

  it('reports a bad prop once: not again by the children built from it, nor by the checks of its objects', () => {
    const app = new HomelabApp({ outdir: '/nonexistent' });
    new AppStack(app, 'a', { ...PROPS, namespace: 'Not_A_Namespace' });
    expect(problemsOf(app)).toEqual(['a: props.namespace']);
  });

  it('in a plain cdk8s App too, through the validation cdk8s runs before it writes', () => {
    const outdir = tmp();
    const plain = new App({ outdir });
    new AppStack(plain, 'a', LATEST);
    new AppStack(plain, 'b', { ...PROPS, host: 'same.julesfournier.fr' });
    new AppStack(plain, 'c', { ...PROPS, host: 'same.julesfournier.fr' });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(problemsOf(plain)).toEqual(['a: props.image', 'c: IngressRoute/c-web spec.routes[0].match', 'c: IngressRoute/c-websecure spec.routes[0].match']);
    } finally {
      stderr.mockRestore();
    }
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  it('throws where the construct is built when the App fails fast, or when there is no App', () => {
    const app = new HomelabApp({ outdir: '/nonexistent', failFast: true });
    expect(() => new AppStack(app, 'a', LATEST)).toThrow(/a: props\.image "ghcr\.io\/julesfrn\/gazette:latest" is tagged "latest"/);
    expect(
      () => new AppDeployment(new Construct(undefined as never, ''), 'D', { name: 'd', namespace: 'd', image: 'x:latest', port: 80, selector: { a: 'b' } }),
    ).toThrow(/props\.image "x:latest" is tagged "latest"/);
  });

  it('prints the report without a stack trace when synth() fails in a program of its own, and exits 1', () => {
    const script = `
      const { HomelabApp, AppStack } = require(${JSON.stringify(path.resolve('build/lib'))});
      const app = new HomelabApp({ outdir: ${JSON.stringify(path.join(tmp(), 'dist'))} });
      new AppStack(app, 'a', { image: 'ghcr.io/x/a:latest', host: 'a.example.com', port: 80 });
      new AppStack(app, 'b', { image: 'ghcr.io/x/b:1.0.0', host: 'same.example.com', port: 80 });
      new AppStack(app, 'c', { image: 'ghcr.io/x/c:1.0.0', host: 'same.example.com', port: 80 });
      app.synth();`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^synth failed, .*\/dist\/ left as it was: 3 problem\(s\)$/);
    expect(lines.slice(1).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['a: props.image', 'c: IngressRoute/c-web', 'c: IngressRoute/c-websecure']);
    expect(run.stderr).not.toMatch(/\n\s+at |problems: \[/);
  });
});
