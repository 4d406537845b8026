import * as path from 'node:path';
import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { Certificate } from '../../imports/certmanager-certificates-cert-manager.io';
import { ClusterIssuer } from '../../imports/certmanager-clusterissuers-cert-manager.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/flux-kustomize-kustomizations-kustomize.toolkit.fluxcd.io';
import { HttpRoute } from '../../imports/gateway-httproutes-gateway.networking.k8s.io';
import { IpAddressPool } from '../../imports/metallb-ipaddresspools-metallb.io';
import { ServiceMonitor } from '../../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { SealedSecret } from '../../imports/sealedsecrets-sealedsecrets-bitnami.com';
import { AppNamespace, AppNetworkPolicy, HomelabApp, HomelabError } from '../../lib';

const BACKUP_CRD = path.join(import.meta.dirname, '..', 'fixtures', 'crds', 'backup.example.com_backups.yaml');

/**
 * A cluster of what homelabs run besides our constructs: cert-manager, Sealed
 * Secrets, Prometheus Operator, Flux, MetalLB and Gateway API objects made
 * with the classes `cdk8s import` generated from the shipped catalog, a
 * cdk8s-plus Deployment, and an object of the user's own CRD.
 */
function openWorld(mutate: (objects: Record<string, ApiObject>) => void = () => undefined, kubernetesVersion?: string): HomelabApp {
  const app = new HomelabApp({ outdir: '/nonexistent', crds: [BACKUP_CRD], kubernetesVersion, handMadeSecrets: ['cert-manager/cloudflare'] });
  const platform = new Chart(app, 'platform');
  const objects: Record<string, ApiObject> = {
    issuer: new ClusterIssuer(platform, 'Issuer', {
      metadata: { name: 'letsencrypt' },
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          privateKeySecretRef: { name: 'letsencrypt-key' },
          solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare', key: 'api-token' } } } }],
        },
      },
    }),
    certificate: new Certificate(platform, 'Wildcard', {
      metadata: { name: 'wildcard', namespace: 'kube-system' },
      spec: { secretName: 'wildcard-tls', dnsNames: ['example.com', '*.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
    }),
    pool: new IpAddressPool(platform, 'Pool', { metadata: { name: 'lan', namespace: 'metallb-system' }, spec: { addresses: ['192.168.1.240-192.168.1.250'] } }),
    flux: new Kustomization(platform, 'Apps', {
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { interval: '10m', path: './dist/prod', prune: true, sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: 'homelab' } },
    }),
  };
  const web = new Chart(app, 'web', { namespace: 'web' });
  new AppNamespace(web, 'Namespace', { name: 'web' });
  new AppNetworkPolicy(web, 'Policy', { namespace: 'web', podSelector: { app: 'web' }, port: 8080 });
  const deployment = new kplus.Deployment(web, 'Web', {
    metadata: { name: 'web' },
    podMetadata: { labels: { app: 'web' } },
    select: false,
    containers: [
      {
        name: 'web',
        image: 'ghcr.io/me/web:1.0.0',
        portNumber: 8080,
        securityContext: { user: 10001, group: 10001, ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
        liveness: kplus.Probe.fromTcpSocket({ port: 8080 }),
        resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
      },
    ],
  });
  deployment.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
  // What cdk8s-plus-28 cannot say and Pod Security "restricted" asks for (the policy names both when they are missing).
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
  );
  objects.deployment = ApiObject.of(deployment);
  objects.service = new ApiObject(web, 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  objects.sealed = new SealedSecret(web, 'Db', { metadata: { name: 'db' }, spec: { encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA==' } } });
  objects.monitor = new ServiceMonitor(web, 'Monitor', {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http' }] },
  });
  objects.route = new HttpRoute(web, 'Route', {
    metadata: { name: 'web' },
    spec: { parentRefs: [{ name: 'gateway', namespace: 'gateway' }], hostnames: ['web.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
  });
  objects.backup = new ApiObject(web, 'Backup', {
    apiVersion: 'backup.example.com/v1',
    kind: 'Backup',
    metadata: { name: 'nightly' },
    spec: { schedule: '@daily', target: 's3://backups/web' },
  });
  mutate(objects);
  return app;
}

function problems(app: HomelabApp): string[] {
  try {
    app.synthFiles();
    return [];
  } catch (e) {
    expect(HomelabError.isHomelabError(e), String(e)).toBe(true);
    return (e as HomelabError).problems.map((p) => `${p.field}: ${p.message}${p.fix ? `; ${p.fix}` : ''}`);
  }
}

describe('a HomelabApp of any construct and any shipped or given CRD', () => {
  it('synthesizes the catalog kinds, a cdk8s-plus Deployment and an object of a user CRD, each checked against its schema', () => {
    const app = openWorld();
    expect(problems(app)).toEqual([]);
    const kinds = app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest.kind));
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ClusterIssuer',
        'Certificate',
        'IPAddressPool',
        'Kustomization',
        'Deployment',
        'SealedSecret',
        'ServiceMonitor',
        'HTTPRoute',
        'Backup',
      ]),
    );
  });

  // The classes of `cdk8s import` (and cdk8s-plus's) write only the fields they know: a misspelled one
  // cannot reach the output, but a bad value can, and a plain ApiObject takes anything.
  it.each([
    ['issuer', JsonPatch.replace('/spec/acme/server', 5), /^ClusterIssuer\/letsencrypt spec\.acme\.server: must be string/],
    ['certificate', JsonPatch.replace('/spec/secretName', 5), /^Certificate\/wildcard spec\.secretName: must be string/],
    ['pool', JsonPatch.replace('/spec/addresses/0', 5), /^IPAddressPool\/lan spec\.addresses\[0\]: must be string/],
    ['flux', JsonPatch.replace('/spec/interval', '10 minutes'), /^Kustomization\/apps spec\.interval: must match/],
    ['deployment', JsonPatch.replace('/spec/replicas', 'two'), /^Deployment\/web spec\.replicas: must be integer/],
    ['sealed', JsonPatch.replace('/spec/encryptedData/password', 5), /^SealedSecret\/db spec\.encryptedData\.password: must be string/],
    ['monitor', JsonPatch.replace('/spec/endpoints/0/port', 5), /^ServiceMonitor\/web spec\.endpoints\[0\]\.port: must be string/],
    ['route', JsonPatch.replace('/spec/hostnames/0', 'web..example.com'), /^HTTPRoute\/web spec\.hostnames\[0\]: must match/],
    ['backup', JsonPatch.add('/spec/retentoin', 3), /^Backup\/nightly spec\.retentoin: is not a known field; did you mean "retention"\?/],
  ])('reports a bad field of the %s with its kind and the field', (name, patch, pattern) => {
    const found = problems(openWorld((objects) => objects[name].addJsonPatch(patch)));
    expect(found).toEqual([expect.stringMatching(pattern)]);
  });

  it('validates for Kubernetes 1.33 too, and fails for 1.28 on a field 1.28 does not have yet', () => {
    expect(problems(openWorld(undefined, '1.33'))).toEqual([]);
    // A plain ApiObject writes what it is given (the generated classes of 1.28 would drop a field they do not know).
    const withNewField = (objects: Record<string, ApiObject>) => objects.service.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferClose'));
    expect(problems(openWorld(withNewField, '1.33'))).toEqual([]);
    expect(problems(openWorld(withNewField))).toEqual([
      'Service/web spec.trafficDistribution: is not a field of Kubernetes 1.28 (it is from 1.30 on); set kubernetesVersion to 1.30 or later if your cluster runs it, or remove it',
    ]);
  });

  it('fails if a Certificate names an issuer the cluster does not define, and warns when it defines none', () => {
    const staging = (objects: Record<string, ApiObject>) => objects.certificate.addJsonPatch(JsonPatch.replace('/spec/issuerRef/name', 'letsencrypt-staging'));
    expect(problems(openWorld(staging))).toEqual([
      'Certificate/wildcard spec.issuerRef.name: names ClusterIssuer "letsencrypt-staging", which the cluster does not define; define it, or use one of: letsencrypt',
    ]);
    const app = openWorld((objects) => objects.issuer.node.scope?.node.tryRemoveChild(objects.issuer.node.id));
    expect(problems(app)).toEqual([]);
    expect(app.warnings.map((w) => `${w.warning} ${w.field}`)).toContain('HL-undeclared-issuer Certificate/wildcard spec.issuerRef.name');
  });

  it('holds a cdk8s-plus Deployment to the security policy, and says why when it falls short', () => {
    const found = problems(
      openWorld((objects) => objects.deployment.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/securityContext/capabilities'))),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^Deployment\/web spec\.template\.spec\.containers\[0\]\.securityContext\.capabilities\.drop: must include ALL \(Pod Security "restricted"\) \[pod-security\]; drop ALL capabilities/,
      ),
    ]);
  });
});
