import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppStack, type HomelabApp, type Manifest, microk8s } from '../../lib';
import { k3sBlog } from '../fixtures/clusters/k3s-blog';
import { microk8sLab } from '../fixtures/clusters/microk8s-lab';
import { talosLab } from '../fixtures/clusters/talos-lab';
import { at, find } from '../helpers';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT = { outdir: '/nonexistent', mirrorOutdir: '/nonexistent' };

/** Every object and warning code of a cluster, synthesized with every check on (strict schemas, cluster checks, policies). */
function synth(app: HomelabApp): { all: Manifest[]; warnings: string[] } {
  const all = app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
  return { all, warnings: app.warnings.map((w) => `${w.warning}: ${w.app}`) };
}

/** The props text of every `new AppStack(...)` of a source file. */
function appStackBlocks(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/new AppStack\([\s\S]*?\n?\s*\}\);/g)].map((m) => m[0]);
}

/** The cluster facts a profile gives once; an app that repeats one is what profiles are for. */
const CLUSTER_FACTS = /\b(storageClass|ingressClassName|ingressController|certManager|certResolver|gateway):/;

describe("the write-ups' three clusters, each described with no cluster fact repeated per app", () => {
  it('no app of any of them names a storage class, ingress class or controller, issuer, resolver or gateway', () => {
    const files = [
      ...fs.readdirSync(path.join(ROOT, 'apps')).map((f) => path.join(ROOT, 'apps', f)),
      ...['microk8s-lab.ts', 'talos-lab.ts'].map((f) => path.join(ROOT, 'test/fixtures/clusters', f)),
    ];
    const blocks = files.flatMap(appStackBlocks);
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks.filter((b) => CLUSTER_FACTS.test(b))).toEqual([]);
  });

  it('the K3s blog cluster (apps/) synthesizes with every check on', () => {
    const { all, warnings } = synth(k3sBlog(OUT));
    expect(all.filter((m) => m.kind === 'PersistentVolumeClaim').map((m) => at(m, 'spec', 'storageClassName'))).toContain('local-path');
    expect(find(all, 'HelmChart', 'keel').metadata.namespace).toBe('kube-system');
    // Relaxed profiles with their reasons, and Proxmox's self-signed certificate: nothing else.
    expect(warnings.every((w) => /^HL-((baseline|privileged)-profile|insecure-backend)/.test(w))).toBe(true);
  });

  it('the MicroK8s lab: NGINX Ingresses of class public, hostpath volumes, cert-manager certificates of every host, charts through Flux', () => {
    const { all, warnings } = synth(microk8sLab(OUT));
    expect(warnings).toEqual([]);
    expect(all.filter((m) => m.apiVersion.startsWith('traefik.io') || m.kind.startsWith('HelmChart'))).toEqual([]);
    for (const app of ['wiki', 'homepage', 'authentik']) {
      const ingress = find(all, 'Ingress', app);
      expect(at(ingress, 'spec', 'ingressClassName')).toBe('public');
      const secret = at(ingress, 'spec', 'tls', 0, 'secretName');
      expect(all.find((m) => m.kind === 'Certificate' && at(m, 'spec', 'secretName') === secret)?.spec).toMatchObject({
        issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
      });
    }
    expect(find(all, 'Ingress', 'homepage').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/whitelist-source-range': '192.168.1.0/24' });
    expect(new Set(all.filter((m) => m.kind === 'PersistentVolumeClaim' || m.kind === 'StatefulSet').flatMap(storageClasses))).toEqual(
      new Set(['microk8s-hostpath']),
    );
    expect(at(find(all, 'ClusterIssuer', 'letsencrypt'), 'spec', 'acme', 'solvers', 0, 'http01', 'ingress', 'ingressClassName')).toBe('public');
    expect(['keel', 'authentik'].map((r) => find(all, 'HelmRelease', r).metadata.namespace)).toEqual(['flux-system', 'flux-system']);
  });

  it('the Talos lab: VPN-only dashboards with DNS-01 certificates (one a wildcard), a Gateway with a wildcard from cert-manager, MetalLB addresses', () => {
    const { all, warnings } = synth(talosLab(OUT));
    expect(warnings).toEqual([]);
    const traefik = find(all, 'HelmRelease', 'traefik');
    expect(at(traefik, 'spec', 'targetNamespace')).toBe('traefik');
    expect(at(traefik, 'spec', 'values', 'certificatesResolvers', 'letsencrypt', 'acme', 'dnsChallenge')).toEqual({ provider: 'cloudflare' });
    expect(at(find(all, 'IngressRoute', 'prometheus-websecure'), 'spec', 'tls')).toEqual({
      certResolver: 'letsencrypt',
      domains: [{ main: 'lab.julesfournier.fr', sans: ['*.lab.julesfournier.fr'] }],
    });
    const allowLists = all.filter((m) => m.kind === 'Middleware' && m.metadata.name === 'ip-allow-list');
    expect(allowLists.map((m) => [m.metadata.namespace, m.spec])).toEqual(
      ['grafana', 'prometheus'].map((ns) => [ns, { ipAllowList: { sourceRange: ['10.8.0.0/24'] } }]),
    );
    const traefikPeers = all.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'allow-from-traefik');
    expect(traefikPeers.map((m) => at(m, 'spec', 'ingress', 0, 'from', 0, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name'))).toEqual([
      'traefik',
      'traefik',
      'traefik',
    ]);
    expect(at(find(all, 'HTTPRoute', 'status'), 'spec', 'parentRefs', 0)).toMatchObject({ name: 'lab', namespace: 'gateway', sectionName: 'websecure' });
    expect(find(all, 'Certificate', 'lab').spec).toMatchObject({ dnsNames: ['*.lab.julesfournier.fr'], secretName: 'lab-tls' });
    expect(find(all, 'Service', 'mqtt').metadata.annotations).toEqual({ 'metallb.io/address-pool': 'lan' });
    expect(new Set(all.filter((m) => m.kind === 'PersistentVolumeClaim').flatMap(storageClasses))).toEqual(new Set(['longhorn']));
  });

  it('a mistake in a certificate, an issuer or a gateway reference is reported by name, in each cluster', () => {
    expect(() => synth(microk8sLab({ ...OUT, profile: microk8s({ certManager: { issuer: 'letsencrypt-prod' } }) }))).toThrow(
      /wiki: Certificate\/wiki spec\.issuerRef\.name "letsencrypt-prod" names ClusterIssuer "letsencrypt-prod", which the cluster does not define; define it, or use one of: letsencrypt/,
    );
    const talos = talosLab(OUT);
    new AppStack(talos, 'notes', {
      image: 'ghcr.io/julesfrn/notes:1.0.0',
      host: 'notes.lab.julesfournier.fr',
      port: 8080,
      expose: 'gateway',
      gateway: { name: 'public', namespace: 'gateway' },
    });
    new AppStack(talos, 'files', {
      image: 'ghcr.io/julesfrn/files:1.0.0',
      host: 'files.julesfournier.fr',
      port: 8080,
      tlsSecretName: 'lab-tls',
      namespace: 'gateway',
    });
    expect(() => synth(talos)).toThrow(
      /notes: HTTPRoute\/notes spec\.parentRefs\[0\]\.name "gateway\/public" is not a Gateway of the cluster; use one of: gateway\/lab/,
    );
    expect(() => synth(talos)).toThrow(
      /files: IngressRoute\/files-websecure spec\.routes\[0\]\.match "files\.julesfournier\.fr" is served with the certificate in Secret gateway\/lab-tls, which Certificate gateway\/lab issues for \*\.lab\.julesfournier\.fr only/,
    );
    const k3s = k3sBlog(OUT);
    new AppStack(k3s, 'notes', { image: 'ghcr.io/julesfrn/notes:1.0.0', host: 'notes.julesfournier.fr', port: 8080, certResolver: 'le' });
    expect(() => synth(k3s)).toThrow(/notes: IngressRoute\/notes-websecure spec\.tls\.certResolver "le" is not a resolver the Traefik configuration declares/);
  });
});

/** The storage classes a volume claim or a StatefulSet's claim templates ask for. */
function storageClasses(m: Manifest): string[] {
  if (m.kind === 'PersistentVolumeClaim') {
    return [String(at(m, 'spec', 'storageClassName'))];
  }
  const templates = at(m, 'spec', 'volumeClaimTemplates');
  return Array.isArray(templates) ? templates.map((t) => String(at(t, 'spec', 'storageClassName'))) : [];
}
