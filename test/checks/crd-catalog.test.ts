import { describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../lib';

/** One valid object of each kind of the catalog (../shared/crds, shipped in crds/), as a homelab writes them. */
const CATALOG: Record<string, Record<string, unknown>> = {
  ClusterIssuer: {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'letsencrypt' },
    spec: {
      acme: {
        email: 'acme@example.com',
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        privateKeySecretRef: { name: 'letsencrypt-key' },
        solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare', key: 'token' } } } }],
      },
    },
  },
  Certificate: {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'wildcard', namespace: 'kube-system' },
    spec: { secretName: 'wildcard-tls', dnsNames: ['example.com', '*.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
  },
  SealedSecret: {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: 'db', namespace: 'blog' },
    spec: { encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA==' }, template: { metadata: { name: 'db', namespace: 'blog' } } },
  },
  ExternalSecret: {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'db', namespace: 'blog' },
    spec: {
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'db' },
      data: [{ secretKey: 'password', remoteRef: { key: 'blog/db' } }],
    },
  },
  ServiceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'blog', namespace: 'blog' },
    spec: { selector: { matchLabels: { app: 'blog' } }, endpoints: [{ port: 'metrics', interval: '30s' }] },
  },
  PrometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'blog', namespace: 'blog' },
    spec: { groups: [{ name: 'blog', rules: [{ alert: 'BlogDown', expr: 'up{job="blog"} == 0', for: '5m' }] }] },
  },
  Kustomization: {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { interval: '10m', path: './dist/prod', prune: true, sourceRef: { kind: 'GitRepository', name: 'homelab' } },
  },
  GitRepository: {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'homelab', namespace: 'flux-system' },
    spec: { interval: '1m', url: 'https://github.com/example/homelab', ref: { branch: 'main' } },
  },
  HelmRelease: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'podinfo', namespace: 'podinfo' },
    spec: { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.7.1', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
  },
  IPAddressPool: {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: 'lan', namespace: 'metallb-system' },
    spec: { addresses: ['192.168.1.240-192.168.1.250'] },
  },
  L2Advertisement: {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'L2Advertisement',
    metadata: { name: 'lan', namespace: 'metallb-system' },
    spec: { ipAddressPools: ['lan'] },
  },
  HTTPRoute: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'blog', namespace: 'blog' },
    spec: {
      parentRefs: [{ name: 'gateway', namespace: 'gateway' }],
      hostnames: ['blog.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'blog', port: 80 }] }],
    },
  },
  Application: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'homelab', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/example/homelab', path: 'dist/prod', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'default' },
    },
  },
};

describe('the shipped catalog of CRDs', () => {
  const validator = SchemaValidator.shipped();

  it.each(Object.keys(CATALOG))('validates a %s out of the box', (kind) => {
    expect(validator.validate(CATALOG[kind])).toEqual([]);
  });

  it.each(Object.keys(CATALOG))('reports a wrong field of a %s with the field and the fix', (kind) => {
    const manifest = structuredClone(CATALOG[kind]) as { spec: Record<string, unknown> };
    manifest.spec.intervall = '5m';
    expect(validator.validate(manifest)).toContainEqual(expect.objectContaining({ field: 'spec.intervall', message: 'is not a known field' }));
  });

  it('reads the patterns of CRDs as the API server does (a Go (?i) flag included)', () => {
    const rule = structuredClone(CATALOG.PrometheusRule) as { spec: { groups: Record<string, unknown>[] } };
    rule.spec.groups[0].partial_response_strategy = 'WARN';
    expect(validator.validate(rule)).toEqual([]);
    rule.spec.groups[0].partial_response_strategy = 'ignore';
    expect(validator.validate(rule)).toEqual([expect.objectContaining({ field: 'spec.groups[0].partial_response_strategy', value: 'ignore' })]);
  });
});
