import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-consumer-'));

afterAll(() => {
  fs.rmSync(consumer, { recursive: true, force: true });
});

const CONSUMER_TS = `import { App } from 'cdk8s';
import { AppStack, HomelabApp, Probe } from 'cdk8s-homelab';

const app = new App({ outdir: 'dist' });
const stack: AppStack = new AppStack(app, 'gazette', {
  image: 'ghcr.io/julesfrn/gazette:1.4.2',
  host: 'gazette.julesfournier.fr',
  port: 80,
  imagePullSecrets: ['regcred'],
  readiness: Probe.http('/'),
});
app.synth();

const homelab = new HomelabApp({ outdir: 'homelab-dist' });
new AppStack(homelab, 'portfolio', { image: 'nginxinc/nginx-unprivileged:1.27', host: 'julesfournier.fr', port: 8080 });
homelab.synth();
console.log(stack.deployment?.name);
`;

describe('the npm package', () => {
  it('installs from a packed tarball and synthesizes an AppStack in another project', () => {
    const npm = (args: string[], cwd: string) =>
      execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    const packed = npm(['pack', '--silent', '--pack-destination', consumer], ROOT).trim().split('\n').pop() ?? '';
    const tarball = path.join(consumer, packed);
    expect(fs.existsSync(tarball)).toBe(true);

    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    // Offline: the package's dependencies come from this project's node_modules
    // (linked), the package itself from the tarball, as a registry install would.
    const deps = ['cdk8s', 'constructs', 'cdk8s-plus-28', 'yaml'].map((d) => path.join(ROOT, 'node_modules', d));
    npm(['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball, ...deps], consumer);
    const installed = path.join(consumer, 'node_modules', 'cdk8s-homelab');
    expect(fs.existsSync(path.join(installed, 'build', 'lib', 'index.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'main.ts'))).toBe(false);

    // Type-check the consumer against the published .d.ts, then run it.
    fs.writeFileSync(path.join(consumer, 'index.ts'), CONSUMER_TS);
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', strict: true, types: [], outDir: 'out' },
      files: ['index.ts'],
    }));
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: consumer });
    const out = execFileSync(process.execPath, ['out/index.js'], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toBe('gazette');

    const yaml = fs.readFileSync(path.join(consumer, 'dist', 'gazette.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Namespace\n/);
    expect(yaml).toContain('kind: IngressRoute');
    expect(yaml).toContain('- name: regcred');
    expect(fs.readdirSync(path.join(consumer, 'homelab-dist'))).toEqual(['portfolio.k8s.yaml']);
  });
});
