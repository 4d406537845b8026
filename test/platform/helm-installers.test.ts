import { Chart, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AppStack,
  Authentik,
  type ClusterProfile,
  FluxHelmRelease,
  genericProfile,
  HelmChartRelease,
  type HelmChartReleaseProps,
  HomelabApp,
  K3S,
  K3sHelmChart,
  k3s,
  type Manifest,
  MICROK8S,
  microk8s,
  TRAEFIK_CHART_VERSION,
  TraefikConfig,
} from '../../lib';
import { at, find, TEST_SECRETS, untyped } from '../helpers';

const KEEL: HelmChartReleaseProps = {
  name: 'keel',
  repo: 'https://charts.keel.sh',
  chart: 'keel',
  version: '1.0.5',
  values: { polling: { enabled: true }, helmProvider: { enabled: false } },
};

const TALOS = genericProfile({ storageClass: 'longhorn' });

/** Every object of a cluster on `profile`, synthesized with every check on (schemas included). */
function cluster(profile: ClusterProfile, build: (app: HomelabApp) => void): Manifest[] {
  const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', failFast: true, profile });
  build(app);
  return app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
}

describe('Helm charts on every profile', () => {
  it('HelmChartRelease installs through helm-controller on K3s: the same HelmChart as K3sHelmChart', () => {
    const viaProfile = cluster(K3S, (app) => new HelmChartRelease(new Chart(app, 'keel'), 'Chart', KEEL));
    const direct = cluster(K3S, (app) => new K3sHelmChart(new Chart(app, 'keel'), 'Chart', KEEL));
    expect(viaProfile).toEqual(direct);
    expect(viaProfile.map((m) => m.kind)).toEqual(['HelmChart']);
  });

  it('HelmChartRelease installs through Flux where the profile says so: a HelmRepository and a HelmRelease, values sorted', () => {
    const all = cluster(MICROK8S, (app) => new HelmChartRelease(new Chart(app, 'keel'), 'Chart', { ...KEEL, timeout: '10m' }));
    expect(all.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`)).toEqual(['HelmRepository/flux-system/keel', 'HelmRelease/flux-system/keel']);
    expect(find(all, 'HelmRepository', 'keel').spec).toEqual({ url: 'https://charts.keel.sh', interval: '1h' });
    const release = find(all, 'HelmRelease', 'keel');
    expect(release.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(release.spec).toEqual({
      interval: '1h',
      releaseName: 'keel',
      targetNamespace: 'keel',
      storageNamespace: 'keel',
      install: { createNamespace: true },
      chart: { spec: { chart: 'keel', version: '1.0.5', sourceRef: { kind: 'HelmRepository', name: 'keel', namespace: 'flux-system' } } },
      values: { helmProvider: { enabled: false }, polling: { enabled: true } },
      timeout: '10m',
    });
    expect(Object.keys(at(release, 'spec', 'values') as object)).toEqual(['helmProvider', 'polling']);
  });

  it("FluxHelmRelease: an OCI repository, values files from Secrets by key, the profile's namespace and interval", () => {
    const profile = microk8s({ helm: { kind: 'flux', namespace: 'flux', interval: '30m' } });
    const all = cluster(profile, (app) => {
      new FluxHelmRelease(new Chart(app, 'podinfo'), 'Chart', {
        name: 'podinfo',
        repo: 'oci://ghcr.io/stefanprodan/charts',
        chart: 'podinfo',
        version: '6.7.1',
        createNamespace: false,
        valuesSecrets: [{ name: 'podinfo-values', keys: ['a.yaml', 'b.yaml'] }, { name: 'more-values' }],
      });
    });
    expect(find(all, 'HelmRepository', 'podinfo').spec).toEqual({ url: 'oci://ghcr.io/stefanprodan/charts', interval: '30m', type: 'oci' });
    expect(find(all, 'HelmRelease', 'podinfo').metadata.namespace).toBe('flux');
    expect(at(find(all, 'HelmRelease', 'podinfo'), 'spec', 'valuesFrom')).toEqual([
      { kind: 'Secret', name: 'podinfo-values', valuesKey: 'a.yaml' },
      { kind: 'Secret', name: 'podinfo-values', valuesKey: 'b.yaml' },
      { kind: 'Secret', name: 'more-values' },
    ]);
    expect(at(find(all, 'HelmRelease', 'podinfo'), 'spec', 'install')).toEqual({ createNamespace: false });
  });

  it('fails on bad chart props under the name of the construct the user wrote, every problem at once', () => {
    const build = (props: Partial<HelmChartReleaseProps> & { interval?: string }) => () =>
      cluster(TALOS, (app) => new HelmChartRelease(new Chart(app, 'keel'), 'Chart', untyped({ ...KEEL, ...props })));
    expect(build({ version: '^1.0.0', timeout: 'soon' })).toThrow(
      /keel: props\.version "\^1\.0\.0" is not an exact version[\s\S]*keel: props\.timeout "soon" is not a duration/,
    );
    expect(build({ values: { slack: { token: 'xoxb-1234' } } })).toThrow(/props\.values\.slack\.token "\(hidden\)" looks like a secret/);
    expect(build({ interval: '1h' })).toThrow(/keel: props\.interval "1h" is not a prop of HelmChartRelease/);
    expect(() => cluster(TALOS, (app) => new FluxHelmRelease(new Chart(app, 'keel'), 'Chart', { ...KEEL, interval: 'hourly' }))).toThrow(
      /props\.interval "hourly" is not a duration; write e\.g\. 10m or 1h/,
    );
  });

  it('fails on a K3sHelmChart where no helm-controller runs, naming the construct that would install it', () => {
    expect(() => cluster(MICROK8S, (app) => new K3sHelmChart(new Chart(app, 'keel'), 'Chart', KEEL))).toThrow(
      /keel: props\.chart "keel" would never be installed: the microk8s profile says charts are installed by flux, not K3s's helm-controller; use HelmChartRelease/,
    );
    expect(() => cluster(K3S, (app) => new FluxHelmRelease(new Chart(app, 'keel'), 'Chart', KEEL))).not.toThrow();
  });

  it('reads the values of a HelmRelease in the whole-cluster checks: a secret value written by hand fails', () => {
    const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', profile: TALOS });
    const release = new FluxHelmRelease(new Chart(app, 'keel'), 'Chart', KEEL);
    release.resource.addJsonPatch(JsonPatch.add('/spec/values/webhook', { apiKey: 'abc' }));
    expect(() => app.synthFiles()).toThrow(/HelmRelease\/keel spec\.values webhook\.apiKey "\(hidden\)" holds what looks like a secret value/);
  });

  it('lets routes reach the Services a Flux-installed chart declares', () => {
    const build = (port: number) => () =>
      cluster(TALOS, (app) => {
        new TraefikConfig(new Chart(app, 'traefik'), 'Config', { acme: [{ email: 'acme@example.com' }], allowCrossNamespace: true });
        new HelmChartRelease(new Chart(app, 'kuma'), 'Chart', { ...KEEL, name: 'kuma', provides: [{ name: 'kuma', ports: [3001] }] });
        new AppStack(app, 'tools', {
          image: 'ghcr.io/julesfrn/tools:2.0.0',
          host: 'tools.example.com',
          port: 8080,
          sso: { address: 'http://kuma.kuma.svc/auth', outpostService: { name: 'kuma', namespace: 'kuma', port } },
        });
      });
    expect(build(3001)).not.toThrow();
    expect(build(80)).toThrow(/port 80 is not a port of Service kuma\/kuma \(installed by a chart\); use one of 3001/);
  });
});

describe('TraefikConfig on every profile', () => {
  const ACME = { acme: [{ name: 'letsencrypt', email: 'acme@example.com' }] };

  it('configures the Traefik of K3s, and installs the Traefik chart where the cluster has none, with the same values', () => {
    const onK3s = cluster(K3S, (app) => new TraefikConfig(new Chart(app, 'traefik'), 'Config', ACME));
    const onTalos = cluster(TALOS, (app) => new TraefikConfig(new Chart(app, 'traefik'), 'Config', ACME));
    expect(onK3s.map((m) => m.kind)).toEqual(['HelmChartConfig']);
    const release = find(onTalos, 'HelmRelease', 'traefik');
    expect(at(release, 'spec', 'targetNamespace')).toBe('traefik');
    expect(at(release, 'spec', 'chart', 'spec')).toMatchObject({ chart: 'traefik', version: TRAEFIK_CHART_VERSION });
    expect(find(onTalos, 'HelmRepository', 'traefik').spec).toMatchObject({ url: 'https://traefik.github.io/charts' });
    expect(at(release, 'spec', 'values', 'persistence', 'storageClass')).toBe('longhorn');
    expect(at(release, 'spec', 'values', 'certificatesResolvers')).toEqual({
      letsencrypt: { acme: { email: 'acme@example.com', httpChallenge: { entryPoint: 'web' }, storage: '/data/acme.json' } },
    });
    // Through helm-controller on a K3s that runs its own Traefik elsewhere: a HelmChart.
    const selfInstalled = k3s({ bundledTraefik: false, traefik: { namespace: 'edge', podSelector: { 'app.kubernetes.io/name': 'traefik' } } });
    const chart = find(
      cluster(selfInstalled, (app) => new TraefikConfig(new Chart(app, 'traefik'), 'Config', { ...ACME, chartVersion: '40.0.0' })),
      'HelmChart',
      'traefik',
    );
    expect(chart.spec).toMatchObject({ chart: 'traefik', version: '40.0.0', targetNamespace: 'edge' });
  });

  it("the checks read the resolvers of an installed Traefik: a route's unknown resolver fails by name", () => {
    const build = (certResolver: string) => () =>
      cluster(TALOS, (app) => {
        new TraefikConfig(new Chart(app, 'traefik'), 'Config', ACME);
        new AppStack(app, 'blog', { image: 'ghcr.io/julesfrn/blog:1.0.0', host: 'blog.example.com', port: 8080, certResolver });
      });
    expect(build('letsencrypt')).not.toThrow();
    expect(build('le')).toThrow(
      /blog: IngressRoute\/blog-websecure spec\.tls\.certResolver "le" is not a resolver the Traefik configuration declares; declare it in TraefikConfig acme \(declared: letsencrypt\)/,
    );
  });

  it('fails on a chart version where K3s installs Traefik itself', () => {
    expect(() => cluster(K3S, (app) => new TraefikConfig(new Chart(app, 'traefik'), 'Config', { ...ACME, chartVersion: '41.3.0' }))).toThrow(
      /props\.chartVersion "41\.3\.0" is not used: the k3s profile says the cluster installs its own Traefik/,
    );
  });
});

describe('Authentik on every profile', () => {
  const AUTH = { version: '2025.10.1', host: 'auth.example.com' };

  it('MicroK8s: the chart through Flux, its pages through the NGINX Ingress with a cert-manager certificate', () => {
    const all = cluster(MICROK8S, (app) => new Authentik(app, 'authentik', { ...AUTH, certManager: { issuer: 'letsencrypt' } }));
    expect(all.filter((m) => m.apiVersion.startsWith('traefik.io') || m.kind === 'HelmChart')).toEqual([]);
    expect(at(find(all, 'HelmRelease', 'authentik'), 'spec', 'values', 'postgresql', 'primary', 'persistence', 'storageClass')).toBe('microk8s-hostpath');
    const ingress = find(all, 'Ingress', 'authentik');
    expect(at(ingress, 'spec', 'ingressClassName')).toBe('public');
    expect(at(ingress, 'spec', 'tls')).toEqual([{ hosts: ['auth.example.com'], secretName: 'authentik-tls' }]);
    expect(find(all, 'Certificate', 'authentik').spec).toMatchObject({
      dnsNames: ['auth.example.com'],
      secretName: 'authentik-tls',
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
    });
  });

  it('K3s: a cert-manager certificate instead of the resolver, on the Traefik route', () => {
    const all = cluster(K3S, (app) => new Authentik(app, 'authentik', { ...AUTH, certManager: { issuer: 'letsencrypt' } }));
    expect(at(find(all, 'IngressRoute', 'authentik-websecure'), 'spec', 'tls')).toEqual({ secretName: 'authentik-tls' });
  });

  it('fails without a certificate source where the profile serves it by Ingress, or with two', () => {
    expect(() => cluster(MICROK8S, (app) => new Authentik(app, 'authentik', AUTH))).toThrow(
      /authentik: props\.certManager is required on the microk8s profile: Authentik is served there by a standard Ingress \(class public\)/,
    );
    expect(() => cluster(K3S, (app) => new Authentik(app, 'authentik', { ...AUTH, certResolver: 'le', certManager: { issuer: 'x', kind: 'Issuer' } }))).toThrow(
      /props\.certResolver "le" cannot be combined with certManager/,
    );
  });
});

describe('profiles made by hand', () => {
  it('are checked when the App is made: unknown facts, values out of their set', () => {
    expect(() => new HomelabApp({ profile: untyped({ ...K3S, storgeClass: 'x' }) })).toThrow(
      /props\.profile\.storgeClass "x" is not a prop of ClusterProfile; did you mean "storageClass"\?/,
    );
    expect(() => new HomelabApp({ profile: untyped({ ...K3S, loadBalancer: 'klipper', helm: { kind: 'argo', namespace: 'argo' } }) })).toThrow(
      /props\.profile\.loadBalancer "klipper" must be one of "servicelb", "metallb", "none"[\s\S]*props\.profile\.helm\.kind "argo" must be one of "helm-controller", "flux"/,
    );
  });

  it('a profile that routes apps through a gateway names it, and apps then need not', () => {
    expect(() => new HomelabApp({ profile: k3s({ defaultExpose: 'gateway' }) })).toThrow(
      /props\.profile\.gateway is required with defaultExpose: "gateway"; name the Gateway of the apps/,
    );
    const all = cluster(k3s({ defaultExpose: 'gateway', gateway: { name: 'lab', namespace: 'gateway', httpsListener: 'https' } }), (app) => {
      new AppStack(app, 'blog', { image: 'ghcr.io/julesfrn/blog:1.0.0', host: 'blog.example.com', port: 8080 });
    });
    expect(at(find(all, 'HTTPRoute', 'blog'), 'spec', 'parentRefs', 0)).toMatchObject({ name: 'lab', namespace: 'gateway', sectionName: 'https' });
    expect(() =>
      cluster(K3S, (app) => new AppStack(app, 'blog', { image: 'ghcr.io/julesfrn/blog:1.0.0', host: 'blog.example.com', port: 8080, expose: 'gateway' })),
    ).toThrow(
      /blog: props\.gateway is required with expose: "gateway"; name the Gateway, e\.g\. gateway: \{ name: "public", namespace: "gateway" \}, or once for every app on the profile/,
    );
  });

  it('the named profiles are what their functions make, and take the facts a cluster changes', () => {
    expect(k3s()).toEqual(K3S);
    expect(microk8s()).toEqual(MICROK8S);
    expect(k3s({ storageClass: 'longhorn' })).toMatchObject({ name: 'k3s', storageClass: 'longhorn', bundledTraefik: true, loadBalancer: 'servicelb' });
    expect(TALOS).toMatchObject({ name: 'generic', bundledTraefik: false, loadBalancer: 'metallb', helm: { kind: 'flux' }, traefik: { namespace: 'traefik' } });
  });
});
