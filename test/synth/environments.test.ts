import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppStack, Environment, formatProblem, groupByEnvironment, HomelabApp, HomelabError, synthEnvironments, validateManifestFiles } from '../../lib';
import { newApp, PROJECT_ROOT } from '../helpers';

const tmpDirs: string[] = [];
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-env-'));
  tmpDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of tmpDirs.splice(0)) {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

const STAGING = new Environment({ name: 'staging', domain: 'staging.example.com', imageTags: { blog: '2.0.0-rc.1' } });
const PROD = new Environment({ name: 'prod', domain: 'example.com', replicas: 3 });

function build(env: Environment, host = env.host('blog')): HomelabApp {
  const app = new HomelabApp({ environment: env.name, cluster: { certResolvers: ['letsencrypt'] } });
  new AppStack(app, 'blog', { image: env.image('blog', 'ghcr.io/example/blog:1.9.0'), host, port: 8080, replicas: env.replicas });
  return app;
}

function tree(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

describe('Environment', () => {
  it('derives hosts, replicas and image tags', () => {
    expect(STAGING.host('blog')).toBe('blog.staging.example.com');
    expect(PROD.host()).toBe('example.com');
    expect(STAGING.image('blog', 'ghcr.io/example/blog:1.9.0')).toBe('ghcr.io/example/blog:2.0.0-rc.1');
    expect(STAGING.image('other', 'ghcr.io/example/other:1.0.0')).toBe('ghcr.io/example/other:1.0.0');
    expect(STAGING.replicas).toBe(1);
    expect(PROD.replicas).toBe(3);
    expect(PROD.acmeStaging).toBe(false);
  });

  it('fails if a name, domain, replica count or tag is invalid', () => {
    expect(() => new Environment({ name: 'Prod', domain: 'example..com', replicas: -1, imageTags: { blog: 'not a tag' } })).toThrow(
      /4 problems:\n.*Prod: props\.name "Prod" is not a valid environment name.*\n.*props\.domain "example\.\.com" is not a valid DNS name.*\n.*props\.replicas -1 must be a whole number.*\n.*props\.imageTags\.blog "not a tag" is not a valid image tag/,
    );
  });
});

describe('synthEnvironments', () => {
  it('writes each environment into its own folder', () => {
    const outdir = path.join(tmp(), 'dist');
    synthEnvironments([STAGING, PROD], (env) => build(env), { outdir, mirrorOutdir: outdir });
    expect(tree(outdir)).toEqual(['prod/blog.k8s.yaml', 'staging/blog.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'prod', 'blog.k8s.yaml'), 'utf8')).toContain('replicas: 3');
    expect(fs.readFileSync(path.join(outdir, 'staging', 'blog.k8s.yaml'), 'utf8')).toContain('image: ghcr.io/example/blog:2.0.0-rc.1');
    expect(validateManifestFiles([outdir]).problems.filter((p) => !p.warning)).toEqual([]);
  });

  it("copies every environment folder into the mirror (the cdk8s CLI's output)", () => {
    const root = tmp();
    const outdir = path.join(root, 'dist');
    const mirror = path.join(root, '.cdk8s.out');
    synthEnvironments([STAGING, PROD], (env) => build(env), { outdir, mirrorOutdir: mirror });
    expect(tree(mirror)).toEqual(tree(outdir));
    for (const f of tree(outdir)) {
      expect(fs.readFileSync(path.join(mirror, f), 'utf8')).toBe(fs.readFileSync(path.join(outdir, f), 'utf8'));
    }
  });

  it('reports the problems of every environment at once, and writes nothing', () => {
    const outdir = path.join(tmp(), 'dist');
    synthEnvironments([STAGING, PROD], (env) => build(env), { outdir, mirrorOutdir: outdir });
    const before = tree(outdir).map((f) => fs.readFileSync(path.join(outdir, f), 'utf8'));
    let error: unknown;
    try {
      synthEnvironments([STAGING, PROD], (env) => build(env, `blog..${env.domain}`), { outdir, mirrorOutdir: outdir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HomelabError);
    expect((error as HomelabError).problems.map((p) => p.app)).toEqual(['staging/blog', 'prod/blog']);
    expect(tree(outdir).map((f) => fs.readFileSync(path.join(outdir, f), 'utf8'))).toEqual(before);
  });

  it('fails if an environment is listed twice', () => {
    expect(() => synthEnvironments([PROD, PROD], (env) => build(env), { outdir: path.join(tmp(), 'dist') })).toThrow(/environment "prod" is listed twice/);
  });

  it('groups manifests by environment folder for validation', () => {
    expect(groupByEnvironment(['/d/prod/a.yaml', '/d/staging/a.yaml', '/d/prod/b.yaml'])).toEqual([
      ['/d/prod/a.yaml', '/d/prod/b.yaml'],
      ['/d/staging/a.yaml'],
    ]);
    expect(groupByEnvironment(['/d/a.yaml', '/d/b.yaml'])).toEqual([['/d/a.yaml', '/d/b.yaml']]);
    expect(groupByEnvironment(['/d/a.yaml', '/d/x/b.yaml'])).toEqual([['/d/a.yaml', '/d/x/b.yaml']]);
    // One environment whose manifests sit in subfolders: with the folder named, it stays one
    // cluster; without it, the deepest common folder is all there is to go by.
    expect(groupByEnvironment(['/d/prod/a/x.yaml', '/d/prod/b/y.yaml'], '/d')).toEqual([['/d/prod/a/x.yaml', '/d/prod/b/y.yaml']]);
    expect(groupByEnvironment(['/d/prod/a/x.yaml', '/d/prod/b/y.yaml'])).toEqual([['/d/prod/a/x.yaml'], ['/d/prod/b/y.yaml']]);
  });

  it('validates each environment folder of a folder as a cluster of its own, by the same rule', () => {
    const dir = tmp();
    // prod's files (in their layer folders) one level deeper than staging's: still one cluster per environment folder.
    fs.cpSync(path.join(PROJECT_ROOT, 'dist', 'prod'), path.join(dir, 'prod', 'deeper'), { recursive: true });
    fs.cpSync(path.join(PROJECT_ROOT, 'dist', 'staging'), path.join(dir, 'staging'), { recursive: true });
    expect(validateManifestFiles([dir]).problems.map(formatProblem)).toEqual([]);
    // The same files named one by one form a single cluster, in which every object is there twice.
    const files = ['prod', 'staging'].flatMap((d) =>
      fs
        .readdirSync(path.join(dir, d), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => path.join(dir, d, f)),
    );
    expect(validateManifestFiles(files).problems.map(formatProblem).join('\n')).toMatch(/is already used by another Namespace/);
  });
});

describe('Environment image tags', () => {
  it('fails if a tag names no app that asks for its image, suggesting the nearest', () => {
    const staging = new Environment({ name: 'staging', domain: 'staging.example.com', imageTags: { blgo: '2.0.0-rc.1' } });
    const build = (env: Environment) => {
      const app = newApp({ environment: env.name });
      new AppStack(app, 'blog', { image: env.image('blog', 'ghcr.io/me/blog:1.0.0'), host: env.host('blog'), port: 8080 });
      return app;
    };
    expect(() => synthEnvironments([staging], build, { outdir: '/nonexistent-outdir', mirrorOutdir: '/nonexistent-outdir' })).toThrow(
      /staging: props\.imageTags\.blgo "2\.0\.0-rc\.1" names no app that asks for its image here \(env\.image\); did you mean "blog"\?/,
    );
    const fixed = new Environment({ name: 'staging', domain: 'staging.example.com', imageTags: { blog: '2.0.0-rc.1' } });
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-tags-')), 'dist');
    synthEnvironments([fixed], build, { outdir, mirrorOutdir: outdir });
    expect(fs.readFileSync(path.join(outdir, 'staging', 'blog.k8s.yaml'), 'utf8')).toContain('image: ghcr.io/me/blog:2.0.0-rc.1');
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });
});
