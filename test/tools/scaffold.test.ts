import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffoldApp } from '../../lib/tools/scaffold';
import { copyProject } from '../helpers';

let work: string;

function run(args: string[]) {
  // `new` runs the compiled command directly (the copy's build is current); synth runs the npm script.
  const [command, ...rest] =
    args[0] === 'new' ? [process.execPath, path.join(work, 'build', 'bin', 'cdk8s-homelab.js'), 'new', ...args.slice(2)] : ['npm', 'run', '-s', ...args];
  return spawnSync(command, rest, { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

beforeAll(() => {
  work = copyProject('homelab-new-', ['dist', '.cdk8s.out', 'docs']);
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('cdk8s-homelab new', () => {
  it('writes apps/<app>.ts, registers it, and the result synthesizes and validates at once', () => {
    const r = run(['new', '--', 'notes', '--image=ghcr.io/julesfrn/notes:0.9.1', '--host', 'notes', '--port=3000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('registered it in');
    const source = fs.readFileSync(path.join(work, 'apps', 'notes.ts'), 'utf8');
    expect(source).toContain("new AppStack(scope, 'notes', {");
    expect(source).toContain("import { AppStack, Environment } from '../lib';");
    expect(source).toContain("host: env.host('notes'),");
    expect(source).toContain('port: 3000,');
    const index = fs.readFileSync(path.join(work, 'apps', 'index.ts'), 'utf8');
    expect(index).toContain("import { notes } from './notes';");
    expect(index).toMatch(/ {2}notes\(scope, env\);\n}/);
    const synth = run(['synth']);
    expect(synth.status, synth.stderr).toBe(0);
    const yaml = fs.readFileSync(path.join(work, 'dist', 'prod', 'apps', 'notes.k8s.yaml'), 'utf8');
    expect(yaml).toContain('match: Host(`notes.julesfournier.fr`)');
    expect(fs.readFileSync(path.join(work, 'dist', 'staging', 'apps', 'notes.k8s.yaml'), 'utf8')).toContain('notes.staging.julesfournier.fr');
  });

  it('refuses an existing name, a bad host or a floating image, writing nothing', () => {
    const before = fs.readFileSync(path.join(work, 'apps', 'index.ts'), 'utf8');
    const existing = run(['new', '--', 'gazette', '--image', 'ghcr.io/julesfrn/gazette:1.4.2', '--host', 'gazette']);
    expect(existing.status).toBe(1);
    expect(existing.stderr).toMatch(/apps\/gazette\.ts already exists/);
    const bad = run(['new', '--', 'wiki', '--image', 'ghcr.io/julesfrn/wiki', '--host', 'wiki..julesfournier.fr']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--host "wiki\.\.julesfournier\.fr" is not a valid DNS name or subdomain label/);
    expect(bad.stderr).toMatch(/--image "ghcr\.io\/julesfrn\/wiki" has no pinned tag/);
    expect(fs.existsSync(path.join(work, 'apps', 'wiki.ts'))).toBe(false);
    expect(fs.readFileSync(path.join(work, 'apps', 'index.ts'), 'utf8')).toBe(before);
    const usage = run(['new', '--', 'wiki', '--image']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^option --image needs a value\nusage: cdk8s-homelab/);
    const port = run(['new', '--', 'wiki', '--image', 'ghcr.io/julesfrn/wiki:1.0.0', '--host', 'wiki', '--port', 'http']);
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/^--port must be a whole number from 1 to 65535, got "http"\n/);
    expect(fs.existsSync(path.join(work, 'apps', 'wiki.ts'))).toBe(false);
  });

  it('answers --help and --version, on every command', () => {
    const cli = path.join(work, 'build', 'bin', 'cdk8s-homelab.js');
    const version = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(work, 'package.json'), 'utf8')).version);
    for (const args of [['--help'], ['new', '--help'], ['validate', '--help']]) {
      const help = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
      expect(help.status, args.join(' ')).toBe(0);
      expect(help.stdout).toMatch(/^usage: cdk8s-homelab validate/);
    }
  });

  it('imports the installed package in a project other than this repository', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-other-'));
    try {
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-cluster', private: true }));
      fs.mkdirSync(path.join(project, 'apps'));
      fs.writeFileSync(path.join(project, 'apps', 'index.ts'), 'export function addApps(scope: Construct, env: Environment): void {\n}\n');
      scaffoldApp(project, { name: 'wiki', image: 'ghcr.io/me/wiki:1.0.0', host: 'wiki' });
      expect(fs.readFileSync(path.join(project, 'apps', 'wiki.ts'), 'utf8')).toContain("import { AppStack, Environment } from 'cdk8s-homelab';");
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
