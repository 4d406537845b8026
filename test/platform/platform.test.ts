import { Chart, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AppStack,
  type AppStackProps,
  AUTHENTIK_RESPONSE_HEADERS,
  Authentik,
  DNS_PROVIDER_VARIABLES,
  formatProblem,
  HomelabApp,
  HttpsRedirect,
  HttpsRoute,
  K3sHelmChart,
  type K3sHelmChartProps,
  type Manifest,
  ManifestObject,
  SecurityHeaders,
  TraefikConfig,
  type TraefikConfigProps,
} from '../../lib';
import { isPollSchedule } from '../../lib/constructs/workload/auto-update';
import { isCidr } from '../../lib/core/value-rules';
import { renderYaml } from '../../lib/synth/synthesizer';
import { at, find, TEST_SECRETS, untyped } from '../helpers';

const APP: AppStackProps = { image: 'ghcr.io/julesfrn/tools:2.0.0', host: 'tools.julesfournier.fr', port: 8080 };

function cluster(build: (app: HomelabApp) => void, props: ConstructorParameters<typeof HomelabApp>[0] = {}) {
  const app = new HomelabApp({ outdir: '/nonexistent', mirrorOutdir: '/nonexistent', handMadeSecrets: [...TEST_SECRETS], ...props });
  build(app);
  const files = app.synthFiles();
  return { app, files, all: files.flatMap((f) => f.objects.map((o) => o.manifest)) };
}

function traefik(app: HomelabApp, props: Partial<TraefikConfigProps> = {}): TraefikConfig {
  return new TraefikConfig(new Chart(app, 'traefik'), 'Config', { acme: [{ email: 'acme@julesfournier.fr' }], ...props });
}

function values(m: Manifest): Record<string, unknown> {
  return parse(String(at(m, 'spec', 'valuesContent')));
}

describe('TraefikConfig', () => {
  it('routes to an ExternalName Service (a host outside the cluster) only when allowExternalNameServices is set', () => {
    const build = (allowExternalNameServices?: boolean) => (app: HomelabApp) => {
      traefik(app, { allowExternalNameServices });
      const c = new Chart(app, 'proxmox');
      new ManifestObject(c, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'proxmox', namespace: 'proxmox' },
        spec: { type: 'ExternalName', externalName: 'pve.lan', ports: [{ name: 'https', port: 8006 }] },
      });
      new HttpsRedirect(c, 'Redirect', { namespace: 'proxmox' });
      const headers = new SecurityHeaders(c, 'Headers', { namespace: 'proxmox' });
      new HttpsRoute(c, 'Route', {
        middlewares: [{ name: headers.name }],
        name: 'proxmox',
        namespace: 'proxmox',
        hosts: ['pve.julesfournier.fr'],
        serviceName: 'proxmox',
        servicePort: 8006,
        redirectMiddleware: { name: 'https-redirect' },
      });
    };
    expect(() => cluster(build())).toThrow(
      /IngressRoute\/proxmox-websecure spec\.routes\[0\]\.services\[0\]\.name "proxmox\/proxmox" is an ExternalName Service, which Traefik refuses as a backend unless allowed; set allowExternalNameServices: true in the TraefikConfig/,
    );
    const { all } = cluster(build(true));
    expect(values(find(all, 'HelmChartConfig', 'traefik')).providers).toEqual({
      kubernetesCRD: { allowCrossNamespace: false, allowExternalNameServices: true },
    });
  });

  it('configures K3s Traefik through HelmChartConfig kube-system/traefik: ACME, persistence, client IPs', () => {
    const { all } = cluster((app) => {
      traefik(app);
    });
    const config = find(all, 'HelmChartConfig', 'traefik');
    expect(config.metadata.namespace).toBe('kube-system');
    expect(values(config)).toEqual({
      certificatesResolvers: { letsencrypt: { acme: { email: 'acme@julesfournier.fr', storage: '/data/acme.json', httpChallenge: { entryPoint: 'web' } } } },
      persistence: { enabled: true, name: 'data', path: '/data', accessMode: 'ReadWriteOnce', size: '128Mi', storageClass: 'local-path' },
      providers: { kubernetesCRD: { allowCrossNamespace: false } },
      service: { spec: { externalTrafficPolicy: 'Local' } },
    });
  });

  it('takes several resolvers, the TLS challenge, the staging CA, trusted proxies and a global redirect', () => {
    const { all } = cluster((app) => {
      traefik(app, {
        acme: [{ email: 'a@b.fr' }, { name: 'staging', email: 'a@b.fr', challenge: 'tls', staging: true }],
        trustedIPs: ['10.0.0.0/8'],
        redirectToHttps: true,
        allowCrossNamespace: true,
        preserveClientIp: false,
      });
    });
    const v = values(find(all, 'HelmChartConfig', 'traefik'));
    expect(at(v, 'certificatesResolvers', 'staging', 'acme')).toEqual({
      email: 'a@b.fr',
      storage: '/data/acme.json',
      tlsChallenge: {},
      caServer: 'https://acme-staging-v02.api.letsencrypt.org/directory',
    });
    expect(v.ports).toEqual({
      web: { forwardedHeaders: { trustedIPs: ['10.0.0.0/8'] }, redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } },
      websecure: { forwardedHeaders: { trustedIPs: ['10.0.0.0/8'] } },
    });
    expect(at(v, 'providers', 'kubernetesCRD', 'allowCrossNamespace')).toBe(true);
    expect(v.service).toBeUndefined();
  });

  it('writes the same values text on every run', () => {
    const render = () =>
      renderYaml(
        cluster((app) => {
          traefik(app);
        }).files[0],
      );
    expect(render()).toBe(render());
    expect(render()).toMatchSnapshot();
  });

  it('fails if a resolver is malformed', () => {
    const fails = (props: Partial<TraefikConfigProps>, pattern: RegExp) =>
      expect(() =>
        cluster((app) => {
          traefik(app, props);
        }),
      ).toThrow(pattern);
    fails({ acme: [] }, /traefik: props\.acme \[\] must declare at least one resolver/);
    fails({ acme: [{ email: 'nope' }] }, /props\.acme\[0\]\.email "nope" is not an email address/);
    fails({ acme: [{ email: 'a@b.fr' }, { email: 'c@d.fr' }] }, /props\.acme\[1\]\.name "letsencrypt" is declared twice/);
    fails({ acme: [{ email: 'a@b.fr', storage: '/tmp/acme.json' }] }, /props\.acme\[0\]\.storage "\/tmp\/acme\.json" is not on the persistent volume/);
    fails({ trustedIPs: ['10.0.0.0/33'] }, /props\.trustedIPs\[0\] "10\.0\.0\.0\/33" is not an IP address or CIDR range/);
  });

  it('fails if a route names a resolver the configuration does not declare', () => {
    expect(() =>
      cluster((app) => {
        traefik(app);
        new AppStack(app, 'tools', { ...APP, certResolver: 'zerossl' });
      }),
    ).toThrow(
      /tools: IngressRoute\/tools-websecure spec\.tls\.certResolver "zerossl" is not a resolver the Traefik configuration declares; declare it in TraefikConfig acme \(declared: letsencrypt\)/,
    );
    expect(() =>
      cluster((app) => {
        traefik(app);
        new AppStack(app, 'tools', APP);
      }),
    ).not.toThrow();
  });

  it('warns when no Traefik configuration can tell whether a resolver exists', () => {
    const { app } = cluster((a) => {
      new AppStack(a, 'tools', APP);
      new AppStack(a, 'blog', { ...APP, host: 'blog.julesfournier.fr' });
    });
    expect(app.warnings.map(formatProblem)).toEqual([
      'warning HL-undeclared-cert-resolver: tools: IngressRoute/tools-websecure spec.tls.certResolver "letsencrypt" cannot be checked: the output has no Traefik configuration (a TraefikConfig, or a traefik chart); add a TraefikConfig that declares it, or list it in HomelabApp cluster.certResolvers (at tools/Route/WebSecure)',
    ]);
    expect(
      cluster(
        (a) => {
          new AppStack(a, 'tools', APP);
        },
        { cluster: { certResolvers: ['letsencrypt'] } },
      ).app.warnings,
    ).toEqual([]);
  });
});

describe('TraefikConfig DNS-01 challenge', () => {
  const CLOUDFLARE = {
    email: 'acme@julesfournier.fr',
    name: 'dns',
    dns: { provider: 'cloudflare' as const, credentialsSecret: 'cloudflare-dns', resolvers: ['1.1.1.1:53'], delayBeforeChecks: 30 },
  };

  it('declares a DNS resolver whose credentials Traefik reads from a Secret by reference, never by value', () => {
    const { all } = cluster((app) => traefik(app, { acme: [{ email: 'acme@julesfournier.fr' }, CLOUDFLARE] }));
    const config = values(find(all, 'HelmChartConfig', 'traefik'));
    expect(at(config, 'certificatesResolvers', 'dns', 'acme', 'dnsChallenge')).toEqual({
      provider: 'cloudflare',
      resolvers: ['1.1.1.1:53'],
      propagation: { delayBeforeChecks: '30s' },
    });
    expect(at(config, 'certificatesResolvers', 'letsencrypt', 'acme', 'httpChallenge')).toEqual({ entryPoint: 'web' });
    expect(config.env).toEqual([{ name: 'CF_DNS_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflare-dns', key: 'CF_DNS_API_TOKEN' } } }]);
    // Each provider's variables, from the Secret's keys of the same names.
    expect(DNS_PROVIDER_VARIABLES.ovh).toEqual(['OVH_ENDPOINT', 'OVH_APPLICATION_KEY', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY']);
    const ovh = values(
      find(cluster((app) => traefik(app, { acme: [{ ...CLOUDFLARE, dns: { provider: 'ovh', credentialsSecret: 'ovh' } }] })).all, 'HelmChartConfig', 'traefik'),
    );
    expect((ovh.env as { name: string }[]).map((e) => e.name)).toEqual(['OVH_APPLICATION_KEY', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY', 'OVH_ENDPOINT']);
  });

  it('fails on a DNS challenge it cannot make, naming each mistake', () => {
    const build = (acme: unknown[]) => () => cluster((app) => traefik(app, { acme: untyped(acme) }));
    expect(build([{ email: 'a@b.fr', challenge: 'dns' }])).toThrow(
      /props\.acme\[0\]\.dns is required with challenge: "dns"; give the provider and the credentials Secret/,
    );
    expect(build([{ ...CLOUDFLARE, dns: { provider: 'godaddy', credentialsSecret: 'x' } }])).toThrow(
      /props\.acme\[0\]\.dns\.provider "godaddy" must be one of cloudflare, ovh, gandiv5, route53, rfc2136/,
    );
    expect(build([{ ...CLOUDFLARE, dns: { ...CLOUDFLARE.dns, resolvers: ['1.1.1.1'], delayBeforeChecks: -1 } }])).toThrow(
      /props\.acme\[0\]\.dns\.resolvers\[0\] "1\.1\.1\.1" is not a DNS server as host:port; write e\.g\. 1\.1\.1\.1:53[\s\S]*delayBeforeChecks -1 must be a whole number/,
    );
    expect(build([CLOUDFLARE, { ...CLOUDFLARE, name: 'dns2', dns: { provider: 'cloudflare', credentialsSecret: 'other' } }])).toThrow(
      /props\.acme\[1\]\.dns\.credentialsSecret "other" differs from cloudflare-dns of resolver dns, with the same provider/,
    );
    expect(build([{ ...CLOUDFLARE, challenge: 'http' }])).toThrow(/props\.acme\[0\]\.challenge "http" is not "dns", though dns is given/);
  });

  it('serves a wildcard certificate only through a DNS resolver', () => {
    const build = (certResolver: string) => () =>
      cluster((app) => {
        traefik(app, { acme: [{ email: 'acme@julesfournier.fr' }, CLOUDFLARE] });
        new AppStack(app, 'tools', { ...APP, certResolver, tlsDomains: [{ main: 'julesfournier.fr', sans: ['*.julesfournier.fr'] }] });
      });
    expect(build('dns')).not.toThrow();
    expect(build('letsencrypt')).toThrow(
      /IngressRoute\/tools-websecure spec\.tls\.domains\[0\]\.sans\[0\] "\*\.julesfournier\.fr" is a wildcard, which Let's Encrypt issues only through a DNS-01 challenge, and resolver letsencrypt uses http; use a resolver with dns/,
    );
  });
});

describe('K3sHelmChart', () => {
  const KEEL: K3sHelmChartProps = { name: 'keel', repo: 'https://charts.keel.sh', chart: 'keel', version: '1.0.5' };
  const chart = (props: Partial<K3sHelmChartProps> = {}) =>
    cluster((app) => {
      new K3sHelmChart(new Chart(app, 'keel'), 'Chart', { ...KEEL, ...props });
    });

  it('installs a pinned chart through helm-controller with sorted, typed values', () => {
    const m = find(chart({ values: { polling: { enabled: true }, helmProvider: { enabled: false } }, timeout: '10m' }).all, 'HelmChart', 'keel');
    expect(m.metadata.namespace).toBe('kube-system');
    expect(m.spec).toEqual({
      repo: 'https://charts.keel.sh',
      chart: 'keel',
      version: '1.0.5',
      targetNamespace: 'keel',
      createNamespace: true,
      timeout: '10m',
      valuesContent: 'helmProvider:\n  enabled: false\npolling:\n  enabled: true\n',
    });
  });

  it('fails if the version floats, the repository is not https or oci, or a value is a secret', () => {
    expect(() => chart({ version: '^1.0.0' })).toThrow(/keel: props\.version "\^1\.0\.0" is not an exact version; pin one version/);
    expect(() => chart({ repo: 'http://charts.keel.sh' })).toThrow(/props\.repo "http:\/\/charts\.keel\.sh" is not a chart repository/);
    expect(() => chart({ values: { slack: { token: 'xoxb-1234' } } })).toThrow(/props\.values\.slack\.token "\(hidden\)" looks like a secret/);
    expect(() => chart({ values: { slack: { existingSecret: 'slack' } } })).not.toThrow();
  });

  it('lets routes reach the Services a chart declares, on the ports it declares', () => {
    const build = (port: number) =>
      cluster((app) => {
        traefik(app, { allowCrossNamespace: true });
        new K3sHelmChart(new Chart(app, 'kuma'), 'Chart', { ...KEEL, name: 'kuma', provides: [{ name: 'kuma', ports: [3001] }] });
        new AppStack(app, 'tools', {
          ...APP,
          sso: { address: 'http://kuma.kuma.svc/auth', outpostService: { name: 'kuma', namespace: 'kuma', port } },
        });
      });
    expect(() => build(3001)).not.toThrow();
    expect(() => build(80)).toThrow(/services\[0\]\.port 80 is not a port of Service kuma\/kuma \(installed by a chart\); use one of 3001/);
  });

  it('flags secret values in hand-written HelmCharts too', () => {
    // the policy check reads valuesContent, so it also catches charts not built by K3sHelmChart
    const app = new HomelabApp({ outdir: '/nonexistent' });
    const c = new Chart(app, 'raw');
    new K3sHelmChart(c, 'Chart', KEEL).resource.addJsonPatch(JsonPatch.replace('/spec/valuesContent', 'webhook:\n  apiKey: abc\n'));
    expect(() => app.synthFiles()).toThrow(/HelmChart\/keel spec\.valuesContent webhook\.apiKey "\(hidden\)" holds what looks like a secret value/);
  });

  it('hands the values it wrote to the checks with the object, and never stale ones after a JSON patch', () => {
    const app = new HomelabApp({ outdir: '/nonexistent' });
    const written = new K3sHelmChart(new Chart(app, 'raw'), 'Chart', { ...KEEL, values: { polling: { enabled: true } } });
    const [carried] = app
      .synthFiles()
      .flatMap((f) => f.objects)
      .filter((o) => o.manifest.kind === 'HelmChart');
    expect(carried.helmValues).toEqual({ text: 'polling:\n  enabled: true\n', values: { polling: { enabled: true } } });
    // A patch replaces the text: the checks read the patched text, not what the construct wrote.
    written.resource.addJsonPatch(JsonPatch.replace('/spec/valuesContent', 'polling:\n  enabled: true\nwebhook:\n  apiKey: abc\n'));
    expect(() => app.synthFiles()).toThrow(/HelmChart\/keel spec\.valuesContent webhook\.apiKey "\(hidden\)" holds what looks like a secret value/);
  });
});

describe('Keel auto-updates', () => {
  const deployment = (props: Partial<AppStackProps>) =>
    find(
      cluster(
        (app) => {
          new AppStack(app, 'tools', { ...APP, ...props } as AppStackProps);
        },
        { cluster: { certResolvers: ['letsencrypt'] } },
      ).all,
      'Deployment',
      'tools',
    );

  it('sets the keel.sh annotations', () => {
    expect(deployment({ autoUpdate: { policy: 'minor' } }).metadata.annotations).toEqual({
      'keel.sh/policy': 'minor',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 5m',
    });
    expect(
      deployment({ image: 'ghcr.io/julesfrn/tools:latest', autoUpdate: { policy: 'force', matchTag: true, pollSchedule: '@hourly' } }).metadata.annotations,
    ).toEqual({ 'keel.sh/policy': 'force', 'keel.sh/trigger': 'poll', 'keel.sh/pollSchedule': '@hourly', 'keel.sh/match-tag': 'true' });
    expect(deployment({ autoUpdate: { policy: 'glob:2.*', trigger: 'default' } }).metadata.annotations).toEqual({
      'keel.sh/policy': 'glob:2.*',
      'keel.sh/trigger': 'default',
    });
  });

  it('fails if the policy, schedule or tag cannot work', () => {
    const fails = (props: Partial<AppStackProps>, pattern: RegExp) => expect(() => deployment(props)).toThrow(pattern);
    fails({ autoUpdate: { policy: 'newest' as never } }, /tools: props\.autoUpdate\.policy "newest" is not a Keel policy/);
    fails({ autoUpdate: { policy: 'regexp:(' } }, /props\.autoUpdate\.policy "regexp:\(" is not a valid regular expression/);
    fails(
      { image: 'ghcr.io/julesfrn/tools:stable', autoUpdate: { policy: 'minor' } },
      /props\.autoUpdate\.policy "minor" needs a semver image tag, but the tag is "stable"/,
    );
    fails(
      { autoUpdate: { policy: 'patch', pollSchedule: 'every 5 minutes' } },
      /props\.autoUpdate\.pollSchedule "every 5 minutes" is not a schedule Keel understands/,
    );
    fails({ autoUpdate: { policy: 'minor', matchTag: true } }, /props\.autoUpdate\.matchTag true only applies to the force policy/);
  });

  it('reads Keel schedules as robfig/cron does', () => {
    for (const ok of ['@every 5m', '@every 1h30m', '@daily', '*/10 * * * *', '0 0 3 * * *']) {
      expect(isPollSchedule(ok), ok).toBe(true);
    }
    for (const bad of ['@every', '@every five', '@sometimes', '* * *', '']) {
      expect(isPollSchedule(bad), bad).toBe(false);
    }
  });
});

describe('Authentik single sign-on and VPN-only apps', () => {
  const admin = (props: Partial<AppStackProps>, allowCrossNamespace = true, networks: Record<string, string[]> = { vpn: ['10.8.0.0/24'] }) =>
    cluster(
      (app) => {
        traefik(app, { allowCrossNamespace });
        const sso = new Authentik(app, 'authentik', { version: '2025.10.1', host: 'auth.julesfournier.fr' });
        new AppStack(app, 'grafana', { ...APP, host: 'grafana.julesfournier.fr', sso, ...props } as AppStackProps);
      },
      { networks },
    );

  it('merges the values it is given into its own at every depth, and warns when one of its own is replaced', () => {
    const app = new HomelabApp({ outdir: '/nonexistent', cluster: { certResolvers: ['letsencrypt'] }, handMadeSecrets: [...TEST_SECRETS] });
    new Authentik(app, 'authentik', {
      version: '2025.10.1',
      host: 'auth.julesfournier.fr',
      values: { postgresql: { primary: { resources: { requests: { memory: '256Mi' } } } }, redis: { enabled: false }, server: { replicas: 2 } },
    });
    const chart = app
      .synthFiles()
      .flatMap((f) => f.objects)
      .find((o) => o.manifest.kind === 'HelmChart');
    const values = parse(String(at(chart?.manifest, 'spec', 'valuesContent')));
    // Ours kept beside the user's: the database, its secret and its 8Gi volume survive.
    expect(values.postgresql).toEqual({
      enabled: true,
      auth: { existingSecret: 'authentik-postgresql' },
      primary: { persistence: { enabled: true, storageClass: 'local-path', size: '8Gi' }, resources: { requests: { memory: '256Mi' } } },
    });
    expect(values.server).toEqual({ ingress: { enabled: false }, replicas: 2 });
    expect(values.redis.enabled).toBe(false);
    expect(app.warnings.map((w) => [w.warning, w.field, w.value])).toEqual([['HL-values-override', 'props.values.redis.enabled', false]]);
  });

  it('installs Authentik with persistent PostgreSQL and Redis, secrets referenced, and serves it over HTTPS', () => {
    const { all, files } = admin({});
    const ns = find(all, 'Namespace', 'authentik');
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    const v = values(find(all, 'HelmChart', 'authentik'));
    expect(v).toMatchObject({
      global: { envFrom: [{ secretRef: { name: 'authentik-secrets' } }] },
      postgresql: {
        enabled: true,
        auth: { existingSecret: 'authentik-postgresql' },
        primary: { persistence: { enabled: true, storageClass: 'local-path', size: '8Gi' } },
      },
      redis: { enabled: true, master: { persistence: { enabled: true, storageClass: 'local-path', size: '1Gi' } } },
    });
    expect(JSON.stringify(v)).not.toMatch(/password"\s*:\s*"[^"]/i);
    expect(at(find(all, 'IngressRoute', 'authentik-websecure'), 'spec', 'routes', 0, 'services', 0)).toMatchObject({
      name: 'authentik-server',
      namespace: 'authentik',
      port: 80,
    });
    expect(renderYaml(files.find((f) => f.app === 'authentik') ?? files[0])).toMatchSnapshot();
  });

  it('puts a forwardAuth Middleware with the Authentik headers in front of the app, and routes the outpost path', () => {
    const { all } = admin({});
    expect(at(find(all, 'Middleware', 'sso'), 'spec', 'forwardAuth')).toEqual({
      address: 'http://authentik-server.authentik.svc.cluster.local/outpost.goauthentik.io/auth/traefik',
      trustForwardHeader: true,
      authResponseHeaders: [...AUTHENTIK_RESPONSE_HEADERS],
    });
    expect(AUTHENTIK_RESPONSE_HEADERS).toEqual([
      'X-authentik-username',
      'X-authentik-groups',
      'X-authentik-email',
      'X-authentik-name',
      'X-authentik-uid',
      'X-authentik-jwt',
      'X-authentik-meta-jwks',
      'X-authentik-meta-outpost',
      'X-authentik-meta-provider',
      'X-authentik-meta-app',
      'X-authentik-meta-version',
    ]);
    const routes = at(find(all, 'IngressRoute', 'grafana-websecure'), 'spec', 'routes') as Record<string, unknown>[];
    expect(routes[0].middlewares).toEqual([
      { name: 'security-headers', namespace: 'grafana' },
      { name: 'sso', namespace: 'grafana' },
    ]);
    expect(routes[1]).toEqual({
      kind: 'Rule',
      match: 'Host(`grafana.julesfournier.fr`) && PathPrefix(`/outpost.goauthentik.io/`)',
      middlewares: [{ name: 'security-headers', namespace: 'grafana' }],
      services: [{ kind: 'Service', name: 'authentik-server', namespace: 'authentik', port: 80 }],
    });
  });

  it('fails if the outpost route crosses namespaces while Traefik forbids it', () => {
    expect(() => admin({}, false)).toThrow(
      /grafana: IngressRoute\/grafana-websecure spec\.routes\[1\]\.services\[0\]\.namespace "authentik\/authentik-server" is in another namespace than the IngressRoute \(grafana\)/,
    );
  });

  it('lets only the VPN in, before sign-on, with the network named once for the cluster', () => {
    const { all } = admin({ ipAllowList: ['vpn', '192.168.1.10/32'], ipStrategyDepth: 1 });
    expect(at(find(all, 'Middleware', 'ip-allow-list'), 'spec')).toEqual({
      ipAllowList: { sourceRange: ['10.8.0.0/24', '192.168.1.10/32'], ipStrategy: { depth: 1 } },
    });
    const routes = at(find(all, 'IngressRoute', 'grafana-websecure'), 'spec', 'routes') as Record<string, unknown>[];
    expect(routes[0].middlewares).toEqual([
      { name: 'security-headers', namespace: 'grafana' },
      { name: 'ip-allow-list', namespace: 'grafana' },
      { name: 'sso', namespace: 'grafana' },
    ]);
    expect(routes[1].middlewares).toEqual([
      { name: 'security-headers', namespace: 'grafana' },
      { name: 'ip-allow-list', namespace: 'grafana' },
    ]);
  });

  it('fails if an allow list names an unknown network or allows everyone', () => {
    expect(() => admin({ ipAllowList: ['wireguard'] })).toThrow(
      /grafana: props\.ipAllowList\[0\] "wireguard" is neither a CIDR range nor a network of the cluster; use a CIDR, or one of vpn/,
    );
    expect(() => admin({ ipAllowList: ['0.0.0.0/0'] })).toThrow(/props\.ipAllowList\[0\] "0\.0\.0\.0\/0" allows every address/);
    expect(() => admin({ ipAllowList: ['vpn'] }, true, {})).toThrow(/declare the network in HomelabApp networks/);
  });

  it('reads IPv4 and IPv6 addresses and ranges', () => {
    for (const ok of ['10.8.0.0/24', '192.168.1.10', 'fd00::/8', '2001:db8::1', '::1/128']) {
      expect(isCidr(ok), ok).toBe(true);
    }
    for (const bad of ['10.8.0/24', '256.1.1.1', '10.0.0.0/40', 'fd00::/129', 'vpn', '1:2:3:4:5:6:7:8:9']) {
      expect(isCidr(bad), bad).toBe(false);
    }
  });
});
