import { describe, expect, it } from 'vitest';
import { AppStack, type ClusterProfile, genericProfile, HomelabApp, K3S, type Manifest, MICROK8S } from '../../lib';
import { at, find, TEST_SECRETS, untyped } from '../helpers';

const BLOG = {
  image: 'ghcr.io/julesfrn/blog:1.0.0',
  host: 'blog.lab.julesfournier.fr',
  port: 8080,
  volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
};

function cluster(profile: ClusterProfile | undefined, props: Record<string, unknown> = {}): Manifest[] {
  const app = new HomelabApp({
    handMadeSecrets: [...TEST_SECRETS],
    outdir: '/nonexistent',
    failFast: true,
    profile,
    cluster: { certResolvers: ['letsencrypt'] },
  });
  new AppStack(app, 'blog', untyped({ ...BLOG, ...props }));
  return app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
}

describe('cluster profiles', () => {
  it('K3s is the default: Traefik routes, local-path volumes', () => {
    expect(cluster(undefined)).toEqual(cluster(K3S));
    const all = cluster(undefined);
    expect(all.some((m) => m.kind === 'IngressRoute')).toBe(true);
    expect(at(find(all, 'PersistentVolumeClaim', 'blog-data'), 'spec', 'storageClassName')).toBe('local-path');
  });

  it("MicroK8s: a standard Ingress of class public, its addon's pods let in, microk8s-hostpath volumes, no app repeating it", () => {
    const all = cluster(MICROK8S, { ipAllowList: ['10.8.0.0/24'] });
    expect(all.filter((m) => m.apiVersion.startsWith('traefik.io'))).toEqual([]);
    const ingress = find(all, 'Ingress', 'blog');
    expect(at(ingress, 'spec', 'ingressClassName')).toBe('public');
    // Its certificate's Secret (blog-tls) is made by hand in this cluster, and the Ingress says so.
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/whitelist-source-range': '10.8.0.0/24',
      'cdk8s-homelab/hand-made-secrets': 'blog-tls',
    });
    expect(at(find(all, 'NetworkPolicy', 'allow-from-ingress-controller'), 'spec', 'ingress', 0, 'from')).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } }, podSelector: { matchLabels: { name: 'nginx-ingress-microk8s' } } },
    ]);
    expect(at(find(all, 'PersistentVolumeClaim', 'blog-data'), 'spec', 'storageClassName')).toBe('microk8s-hostpath');
    // Traefik's own options say which way in they need.
    expect(() => cluster(MICROK8S, { sso: { address: 'http://auth/outpost', outpostService: { name: 'a', namespace: 'a', port: 9000 } } })).toThrow(
      /props\.sso "http:\/\/auth\/outpost" only applies to expose: "https" \(a Traefik middleware\), not "ingress"/,
    );
  });

  it('a cluster built by hand: its storage class and where its Traefik runs', () => {
    const talos = genericProfile({
      storageClass: 'longhorn',
      traefik: { namespace: 'traefik', podSelector: { 'app.kubernetes.io/name': 'traefik' }, name: 'traefik' },
    });
    const all = cluster(talos);
    expect(at(find(all, 'PersistentVolumeClaim', 'blog-data'), 'spec', 'storageClassName')).toBe('longhorn');
    expect(at(find(all, 'NetworkPolicy', 'allow-from-traefik'), 'spec', 'ingress', 0, 'from', 0, 'namespaceSelector', 'matchLabels')).toEqual({
      'kubernetes.io/metadata.name': 'traefik',
    });
  });
});
