import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyProject } from './helpers';

const ROOT = path.resolve(import.meta.dirname, '..');
const consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-consumer-'));
const scratch: string[] = [consumer];

afterAll(() => {
  for (const dir of scratch) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

interface PackageJson {
  readonly scripts?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

/** npm, quiet about updates; stdout and stderr both returned, failing on a non-zero exit. */
function npm(args: string[], cwd: string): { stdout: string; stderr: string } {
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (run.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { stdout: run.stdout, stderr: run.stderr };
}

const CONSUMER_TS = `import { App, Chart } from 'cdk8s';
import { AppStack, declareHandMadeSecrets, HomelabApp, Probe } from 'cdk8s-homelab';
import { Certificate } from 'cdk8s-homelab/imports/certmanager-certificates-cert-manager.io';

const app = new App({ outdir: 'dist' });
const stack: AppStack = new AppStack(app, 'gazette', {
  image: 'ghcr.io/julesfrn/gazette:1.4.2',
  host: 'gazette.julesfournier.fr',
  port: 80,
  imagePullSecrets: ['regcred'],
  readiness: Probe.http('/'),
});
declareHandMadeSecrets(app, ['gazette/regcred']);
app.synth();

const homelab = new HomelabApp({ outdir: 'homelab-dist', applySet: {}, platformFirst: true });
new AppStack(homelab, 'portfolio', { image: 'nginxinc/nginx-unprivileged:1.27', host: 'julesfournier.fr', port: 8080 });
new Certificate(new Chart(homelab, 'certificates'), 'Wildcard', {
  metadata: { name: 'wildcard', namespace: 'kube-system' },
  spec: { secretName: 'wildcard-tls', dnsNames: ['*.julesfournier.fr'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
});
homelab.synth();
console.log(stack.deployment?.name);
`;

/** Lifecycle scripts npm runs (or warns about) when a package is installed as a dependency. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

describe('the npm package', () => {
  it('builds from a fresh checkout as npm does for a git URL, then installs from its tarball with no build and no warning', () => {
    // What npm does with a git dependency: it clones it, sees a build step
    // (`build`), installs the clone's dependencies, which runs its `dependencies`
    // script, then packs the clone. A clone has no build/ of its own.
    expect(own.scripts?.build).toBeDefined();
    expect(own.scripts?.dependencies).toBe('npm run build');
    const checkout = copyProject('homelab-git-', ['build', 'dist', '.cdk8s.out']);
    scratch.push(checkout);
    npm(['run', '-s', 'dependencies'], checkout);
    // Packed as npm packs a git dependency: no script runs (npm runs only `prepare`, which we do not have).
    const packed = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', consumer], checkout);
    const [listing] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = listing.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'build/lib/index.js',
        'build/lib/index.d.ts',
        'build/bin/cdk8s-homelab.js',
        'build/validators/shipped-schemas.js',
        'schemas/k8s-1.28.0-definitions.json',
      ]),
    );
    expect(files.filter((f) => /^build\/(apps|test|bench|scripts)\/|^build\/main\.js$/.test(f))).toEqual([]);
    const tarball = path.join(consumer, listing.filename);
    expect(fs.existsSync(tarball)).toBe(true);

    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    // Offline whatever the npm cache holds: every package the tarball needs at
    // run time (its dependencies and peer dependencies, read from package.json so
    // that a new one cannot be forgotten) is linked from this project's
    // node_modules; the package itself comes from the tarball, as from a registry.
    const runtime = [...Object.keys(own.dependencies ?? {}), ...Object.keys(own.peerDependencies ?? {})];
    expect(runtime).toEqual(expect.arrayContaining(['ajv', '@viz-js/viz', 'cdk8s', 'constructs']));
    const deps = runtime.map((d) => path.join(ROOT, 'node_modules', d));
    const install = npm(['install', '--offline', '--no-audit', '--no-fund', tarball, ...deps], consumer);
    // No build runs and npm has nothing to warn about (an install-time script would).
    expect(install.stderr).not.toMatch(/warn|ERR/i);
    const installed = path.join(consumer, 'node_modules', 'cdk8s-homelab');
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as PackageJson;
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => INSTALL_SCRIPTS.includes(s))).toEqual([]);
    expect(fs.existsSync(path.join(installed, 'build', 'lib', 'index.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'main.ts'))).toBe(false);

    // Type-check the consumer against the published .d.ts, then run it.
    fs.writeFileSync(path.join(consumer, 'index.ts'), CONSUMER_TS);
    fs.writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', strict: true, types: [], outDir: 'out' },
        files: ['index.ts'],
      }),
    );
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: consumer });
    const out = execFileSync(process.execPath, ['out/index.js'], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toBe('gazette');

    const yaml = fs.readFileSync(path.join(consumer, 'dist', 'gazette.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Namespace\n/);
    expect(yaml).toContain('kind: IngressRoute');
    expect(yaml).toContain('- name: regcred');
    // A class generated from the shipped catalog, imported from the package, checked and written like ours;
    // the layout for ApplySets, whose parent's CRD the package reads from its own crds/.
    const written = fs.readdirSync(path.join(consumer, 'homelab-dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    expect(written.map((f) => f.split(path.sep).join('/')).sort()).toEqual([
      'applyset/crd.yaml',
      'applyset/parent.yaml',
      'apps/certificates.k8s.yaml',
      'apps/portfolio.k8s.yaml',
      'kept/portfolio.k8s.yaml',
    ]);
    expect(fs.readFileSync(path.join(consumer, 'homelab-dist', 'apps', 'certificates.k8s.yaml'), 'utf8')).toMatch(
      /^apiVersion: cert-manager\.io\/v1\nkind: Certificate\n/,
    );
    expect(fs.readFileSync(path.join(consumer, 'homelab-dist', 'applyset', 'crd.yaml'), 'utf8')).toContain('name: applysets.cdk8s-homelab.io');
    expect(fs.readFileSync(path.join(consumer, 'homelab-dist', 'applyset', 'parent.yaml'), 'utf8')).toMatch(
      /^apiVersion: cdk8s-homelab\.io\/v1alpha1\nkind: ApplySet\n/,
    );
  });
});
