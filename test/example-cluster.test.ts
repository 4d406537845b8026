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
    // The platform (charts, Traefik, GitOps) before the apps; the data of every app but whoami (pruneDataOf) apart in kept/.
    expect(files.map((f) => f.fileName)).toEqual([
      'applyset/crd.yaml',
      'applyset/parent.yaml',
      'apps/blocky.k8s.yaml',
      'apps/gazette.k8s.yaml',
      'apps/grafana.k8s.yaml',
      'apps/links.k8s.yaml',
      'apps/media.k8s.yaml',
      'apps/nextcloud.k8s.yaml',
      'apps/node-exporter.k8s.yaml',
      'apps/portfolio.k8s.yaml',
      'apps/proxmox.k8s.yaml',
      'apps/secret-store.k8s.yaml',
      'apps/vaultwarden.k8s.yaml',
      'apps/whoami.k8s.yaml',
      'kept/authentik.k8s.yaml',
      'kept/blocky.k8s.yaml',
      'kept/gazette.k8s.yaml',
      'kept/grafana.k8s.yaml',
      'kept/links.k8s.yaml',
      'kept/media.k8s.yaml',
      'kept/nextcloud.k8s.yaml',
      'kept/node-exporter.k8s.yaml',
      'kept/portfolio.k8s.yaml',
      'kept/proxmox.k8s.yaml',
      'kept/vaultwarden.k8s.yaml',
      'platform/authentik.k8s.yaml',
      'platform/gitops.k8s.yaml',
      'platform/keel.k8s.yaml',
      'platform/traefik.k8s.yaml',
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
    const onDisk = fs
      .readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(dist, f)).isFile())
      .map((f) => f.split(path.sep).join('/'))
      .sort();
    expect(onDisk).toEqual(files.map((f) => f.fileName));
    for (const f of files) {
      expect(fs.readFileSync(path.join(dist, f.fileName), 'utf8'), `dist/${name}/${f.fileName} is stale: run npm run synth`).toBe(renderYaml(f));
    }
  });

  it('creates every namespace it uses before using it: in kept/ (applied first) or first in its own file', () => {
    const createdIn = (f: (typeof files)[number]) => f.objects.filter((o) => o.manifest.kind === 'Namespace').map((o) => String(o.manifest.metadata.name));
    for (const f of files) {
      const kept = files.find((k) => k.fileName === `kept/${f.app}.k8s.yaml`);
      const created = [...createdIn(f), ...(kept ? createdIn(kept) : [])];
      if (createdIn(f).length > 0) {
        expect(f.objects[0].manifest.kind, f.fileName).toBe('Namespace');
      }
      for (const o of f.objects) {
        const ns = o.manifest.metadata.namespace;
        if (ns !== undefined) {
          // kube-system is K3s's, flux-system is made by flux install, default (the ApplySet's parent) is every cluster's.
          const existing = ['kube-system', 'flux-system', 'default'];
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
