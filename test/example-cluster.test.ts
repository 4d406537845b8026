import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addApps, CLUSTER, ENVIRONMENTS } from '../apps';
import { type Environment, HomelabApp } from '../lib';
import { isHostname } from '../lib/core/value-rules';
import { renderYaml } from '../lib/synth/synthesizer';
import { at } from './helpers';

const ROOT = path.resolve(import.meta.dirname, '..');

function exampleCluster(env: Environment): HomelabApp {
  const app = new HomelabApp({ ...CLUSTER, environment: env.name, outdir: path.join(ROOT, 'dist'), mirrorOutdir: path.join(ROOT, 'dist') });
  addApps(app, env);
  return app;
}

describe('the example cluster environments', () => {
  it('builds staging and prod into dist/staging/ and dist/prod/, and dist/ holds nothing else', () => {
    expect(ENVIRONMENTS.map((e) => e.name)).toEqual(['staging', 'prod']);
    expect(fs.readdirSync(path.join(ROOT, 'dist')).sort()).toEqual(['prod', 'staging']);
  });

  it('differ by domain, replicas, image tags and certificate authority', () => {
    const [staging, prod] = ENVIRONMENTS.map((env) =>
      exampleCluster(env)
        .synthFiles()
        .flatMap((f) => f.objects.map((o) => o.manifest)),
    );
    const deployment = (all: typeof staging) => all.find((m) => m.kind === 'Deployment' && m.metadata.name === 'gazette');
    expect(at(deployment(staging), 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('ghcr.io/julesfrn/gazette:1.5.0-rc.1');
    expect(at(deployment(prod), 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('ghcr.io/julesfrn/gazette:1.4.2');
    expect(at(deployment(staging), 'spec', 'replicas')).toBe(1);
    expect(at(deployment(prod), 'spec', 'replicas')).toBe(2);
    const match = (all: typeof staging) =>
      at(
        all.find((m) => m.metadata.name === 'gazette-websecure'),
        'spec',
        'routes',
        0,
        'match',
      );
    expect(match(staging)).toBe('Host(`gazette.staging.julesfournier.fr`)');
    expect(match(prod)).toBe('Host(`gazette.julesfournier.fr`)');
    const ca = (all: typeof staging) =>
      String(
        at(
          all.find((m) => m.kind === 'HelmChartConfig'),
          'spec',
          'valuesContent',
        ),
      );
    expect(ca(staging)).toContain('caServer: https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(ca(prod)).not.toContain('caServer');
  });
});

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))('the example cluster (%s)', (name, env) => {
  const files = exampleCluster(env).synthFiles();
  const all = files.flatMap((f) => f.objects.map((o) => o.manifest));

  it('has the blog, the portfolio and an app on two hosts', () => {
    expect(files.map((f) => f.fileName)).toEqual([
      'authentik.k8s.yaml',
      'blocky.k8s.yaml',
      'gazette.k8s.yaml',
      'gitops.k8s.yaml',
      'grafana.k8s.yaml',
      'keel.k8s.yaml',
      'links.k8s.yaml',
      'media.k8s.yaml',
      'nextcloud.k8s.yaml',
      'node-exporter.k8s.yaml',
      'portfolio.k8s.yaml',
      'proxmox.k8s.yaml',
      'secret-store.k8s.yaml',
      'traefik.k8s.yaml',
      'vaultwarden.k8s.yaml',
      'whoami.k8s.yaml',
    ]);
    const matches = all.filter((m) => m.kind === 'IngressRoute').map((m) => at(m, 'spec', 'routes', 0, 'match'));
    expect(matches).toContain(`Host(\`${env.host('gazette')}\`)`);
    expect(matches.some((m) => String(m).split('||').length === 2)).toBe(true);
    const gazette = all.find((m) => m.kind === 'Deployment' && m.metadata.name === 'gazette');
    expect(at(gazette, 'spec', 'template', 'spec', 'imagePullSecrets')).toEqual([{ name: 'regcred' }]);
    expect(at(gazette, 'spec', 'template', 'spec', 'containers', 0, 'image')).toMatch(/^ghcr\.io\/julesfrn\/gazette:/);
    const gazetteTls = all.find((m) => m.metadata.name === 'gazette-websecure');
    expect(at(gazetteTls, 'spec', 'tls', 'domains')).toEqual([{ main: env.domain, sans: [env.host('gazette')] }]);
  });

  it(`dist/${name}/ is up to date with the code`, () => {
    const dist = path.join(ROOT, 'dist', name);
    const onDisk = fs.readdirSync(dist).sort();
    expect(onDisk).toEqual(files.map((f) => f.fileName));
    for (const f of files) {
      expect(fs.readFileSync(path.join(dist, f.fileName), 'utf8'), `dist/${name}/${f.fileName} is stale: run npm run synth`).toBe(renderYaml(f));
    }
  });

  it('creates every namespace it uses before using it, Namespace first in each file', () => {
    for (const f of files) {
      const created = f.objects.filter((o) => o.manifest.kind === 'Namespace').map((o) => o.manifest.metadata.name);
      if (created.length > 0) {
        expect(f.objects[0].manifest.kind, f.fileName).toBe('Namespace');
      }
      for (const o of f.objects) {
        const ns = o.manifest.metadata.namespace;
        if (ns !== undefined) {
          // kube-system is K3s's, flux-system is made by flux install.
          const existing = ['kube-system', 'flux-system'];
          expect(existing.includes(ns) || created.includes(ns), `${f.fileName}: ${o.manifest.kind}/${o.manifest.metadata.name} in ${ns}`).toBe(true);
        }
      }
    }
  });

  it('gives every container requests and a memory limit', () => {
    for (const d of all.filter((m) => m.kind === 'Deployment')) {
      for (const c of at(d, 'spec', 'template', 'spec', 'containers') as Record<string, unknown>[]) {
        expect(at(c, 'resources', 'limits', 'memory'), `${d.metadata.name}`).toBeTruthy();
        expect(at(c, 'resources', 'requests', 'memory'), `${d.metadata.name}`).toBeTruthy();
        expect(at(c, 'resources', 'requests', 'cpu'), `${d.metadata.name}`).toBeTruthy();
      }
    }
  });

  it('serves every websecure route with TLS, and only redirects on web', () => {
    const routes = all.filter((m) => m.kind === 'IngressRoute');
    const on = (entryPoint: string) => routes.filter((r) => (at(r, 'spec', 'entryPoints') as string[]).includes(entryPoint)).length;
    expect(on('web')).toBe(on('websecure'));
    for (const r of routes) {
      const entryPoints = at(r, 'spec', 'entryPoints') as string[];
      if (entryPoints.includes('websecure')) {
        expect(at(r, 'spec', 'tls'), `${r.metadata.name}`).toBeTruthy();
      } else {
        expect(entryPoints).toEqual(['web']);
        expect(at(r, 'spec', 'routes', 0, 'middlewares', 0, 'name')).toBe('https-redirect');
      }
    }
  });

  it('uses only valid hosts, each claimed by one app', () => {
    const hosts = all
      .filter((m) => m.kind === 'IngressRoute' && (at(m, 'spec', 'entryPoints') as string[]).includes('websecure'))
      .flatMap((m) => [...String(at(m, 'spec', 'routes', 0, 'match')).matchAll(/Host\(`([^`]+)`\)/g)].map((x) => x[1]));
    expect(hosts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(hosts).size).toBe(hosts.length);
    expect(hosts.every(isHostname)).toBe(true);
  });

  it('labels every object app.kubernetes.io/managed-by=cdk8s-homelab, so kubectl can select and prune them', () => {
    for (const m of all) {
      expect((m.metadata.labels as Record<string, string> | undefined)?.['app.kubernetes.io/managed-by'], `${m.kind}/${m.metadata.name}`).toBe('cdk8s-homelab');
    }
  });

  it('names no object with a hash suffix', () => {
    for (const m of all) {
      expect(m.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
    }
  });
});
