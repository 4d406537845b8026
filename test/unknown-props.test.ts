import * as crypto from 'node:crypto';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import * as lib from '../lib';
import {
  AppAutoscaler,
  AppCertificate,
  AppConfigMap,
  AppCronJob,
  AppDaemonSet,
  AppDeployment,
  AppDisruptionBudget,
  AppGateway,
  AppIngress,
  AppJob,
  AppNamespace,
  AppNetworkPolicy,
  AppNfsShare,
  AppService,
  AppServiceAccount,
  AppServiceMonitor,
  AppStack,
  AppStatefulSet,
  AppTcpRoute,
  AppUdpRoute,
  AppVolumeClaim,
  Authentik,
  BackendTls,
  CertIssuer,
  Environment,
  ExternalApp,
  ExternalSecret,
  ExternalService,
  FluxHelmRelease,
  ForwardAuth,
  GatewayReferenceGrant,
  GatewayRoute,
  GitOpsSync,
  HelmChartRelease,
  HomelabApp,
  HttpsRedirect,
  HttpsRoute,
  IpAllowList,
  K3sHelmChart,
  k3s,
  MetalLbPool,
  Postgres,
  Probe,
  Redis,
  Schedule,
  SealedSecret,
  SecurityHeaders,
  SharedNamespace,
  StripPrefix,
  sealSecret,
  TraefikConfig,
} from '../lib';
import { newApp, untyped } from './helpers';

/** A sealed value (of a key pair made for this run), as a SealedSecret takes it. */
const SEALED = ((): string => {
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const result = sealSecret({
    cert,
    certSource: 'test',
    namespace: 'tools',
    name: 'db',
    values: [{ key: 'password', value: Buffer.from('x'), source: 'test' }],
  });
  return 'manifest' in result ? String(Object.values((result.manifest.spec as { encryptedData: Record<string, string> }).encryptedData)[0]) : '';
})();

/** K3s with MetalLB in place of ServiceLB, so that MetalLbPool is built as on a cluster that has it. */
const WITH_METALLB = k3s({ loadBalancer: 'metallb' });

const IMAGE = 'ghcr.io/julesfrn/tools:2.0.0';
const POD = { name: 'tools', namespace: 'tools', image: IMAGE };

/** How to build each public construct with valid props plus `extra`, which the test fills with a misspelled prop. */
const BUILDERS: Record<string, (scope: Construct, extra: object) => unknown> = {
  AppAutoscaler: (s, x) => new AppAutoscaler(s, 'C', untyped({ name: 'tools', namespace: 'tools', minReplicas: 1, maxReplicas: 3, ...x })),
  AppCertificate: (s, x) =>
    new AppCertificate(
      s,
      'C',
      untyped({ name: 'tools', namespace: 'tools', dnsNames: ['tools.example.com'], secretName: 'tools-tls', issuer: 'letsencrypt', ...x }),
    ),
  AppServiceMonitor: (s, x) => new AppServiceMonitor(s, 'C', untyped({ name: 'tools', namespace: 'tools', selector: { app: 'tools' }, port: 'http', ...x })),
  AppConfigMap: (s, x) => new AppConfigMap(s, 'C', untyped({ name: 'tools', namespace: 'tools', data: { A: '1' }, ...x })),
  AppCronJob: (s, x) => new AppCronJob(s, 'C', untyped({ ...POD, schedule: Schedule.daily(3), command: ['/run'], ...x })),
  AppDaemonSet: (s, x) => new AppDaemonSet(s, 'C', untyped({ ...POD, selector: { app: 'tools' }, port: 9100, ...x })),
  AppDeployment: (s, x) => new AppDeployment(s, 'C', untyped({ ...POD, selector: { app: 'tools' }, port: 8080, ...x })),
  AppDisruptionBudget: (s, x) => new AppDisruptionBudget(s, 'C', untyped({ name: 'tools', namespace: 'tools', selector: { app: 'tools' }, ...x })),
  AppIngress: (s, x) =>
    new AppIngress(
      s,
      'C',
      untyped({ name: 'tools', namespace: 'tools', ingressClassName: 'nginx', hosts: ['tools.example.com'], serviceName: 'tools', servicePort: 80, ...x }),
    ),
  AppNamespace: (s, x) => new AppNamespace(s, 'C', untyped({ name: 'tools', ...x })),
  AppNetworkPolicy: (s, x) => new AppNetworkPolicy(s, 'C', untyped({ namespace: 'tools', podSelector: { app: 'tools' }, port: 8080, ...x })),
  AppService: (s, x) => new AppService(s, 'C', untyped({ name: 'tools', namespace: 'tools', selector: { app: 'tools' }, targetPort: 8080, ...x })),
  AppStack: (s, x) => new AppStack(s, 'tools', untyped({ image: IMAGE, host: 'tools.example.com', port: 8080, ...x })),
  AppStatefulSet: (s, x) => new AppStatefulSet(s, 'C', untyped({ ...POD, serviceName: 'tools', selector: { app: 'tools' }, port: 8080, ...x })),
  AppJob: (s, x) => new AppJob(s, 'C', untyped({ ...POD, command: ['/migrate'], ...x })),
  AppTcpRoute: (s, x) =>
    new AppTcpRoute(s, 'C', untyped({ name: 'tools', namespace: 'tools', entryPoint: 'mqtt', serviceName: 'tools', servicePort: 1883, ...x })),
  AppUdpRoute: (s, x) =>
    new AppUdpRoute(s, 'C', untyped({ name: 'tools', namespace: 'tools', entryPoint: 'dns-udp', serviceName: 'tools', servicePort: 53, ...x })),
  ExternalApp: (s, x) => new ExternalApp(s, 'pve', untyped({ address: '192.168.1.5', port: 8006, host: 'pve.example.com', ...x })),
  GitOpsSync: (s, x) => new GitOpsSync(s, 'gitops', untyped({ tool: 'flux', repository: { url: 'https://github.com/julesfrn/homelab' }, ...x })),
  AppVolumeClaim: (s, x) => new AppVolumeClaim(s, 'C', untyped({ name: 'tools', namespace: 'tools', size: '1Gi', ...x })),
  Authentik: (s, x) => new Authentik(s, 'authentik', untyped({ version: '2025.10.1', host: 'auth.example.com', ...x })),
  ForwardAuth: (s, x) => new ForwardAuth(s, 'C', untyped({ namespace: 'tools', address: 'http://auth.auth.svc/outpost', ...x })),
  HttpsRedirect: (s, x) => new HttpsRedirect(s, 'C', untyped({ namespace: 'tools', ...x })),
  HttpsRoute: (s, x) =>
    new HttpsRoute(
      s,
      'C',
      untyped({
        name: 'tools',
        namespace: 'tools',
        hosts: ['tools.example.com'],
        serviceName: 'tools',
        servicePort: 80,
        redirectMiddleware: { name: 'r' },
        ...x,
      }),
    ),
  IpAllowList: (s, x) => new IpAllowList(s, 'C', untyped({ namespace: 'tools', sourceRange: ['10.0.0.0/8'], ...x })),
  FluxHelmRelease: (s, x) => new FluxHelmRelease(s, 'C', untyped({ name: 'keel', repo: 'https://charts.keel.sh', chart: 'keel', version: '1.0.5', ...x })),
  AppGateway: (s, x) => new AppGateway(s, 'C', untyped({ name: 'lab', namespace: 'gateway', ...x })),
  GatewayReferenceGrant: (s, x) =>
    new GatewayReferenceGrant(
      s,
      'C',
      untyped({ name: 'g', namespace: 'grafana', from: [{ kind: 'HTTPRoute', namespace: 'tools' }], to: [{ kind: 'Service' }], ...x }),
    ),
  HelmChartRelease: (s, x) => new HelmChartRelease(s, 'C', untyped({ name: 'keel', repo: 'https://charts.keel.sh', chart: 'keel', version: '1.0.5', ...x })),
  ExternalSecret: (s, x) =>
    new ExternalSecret(s, 'C', untyped({ name: 'db', namespace: 'tools', store: { name: 'vault' }, data: { password: 'tools/db' }, ...x })),
  BackendTls: (s, x) => new BackendTls(s, 'C', untyped({ name: 'pve', namespace: 'pve', caSecret: 'pve-ca', ...x })),
  ExternalService: (s, x) => new ExternalService(s, 'C', untyped({ name: 'pve', namespace: 'pve', address: '192.168.1.5', port: 8006, ...x })),
  AppNfsShare: (s, x) => new AppNfsShare(s, 'C', untyped({ name: 'media', namespace: 'media', server: 'nas.lan', path: '/volume1/media', ...x })),
  AppServiceAccount: (s, x) => new AppServiceAccount(s, 'C', untyped({ name: 'bot', namespace: 'tools', ...x })),
  SealedSecret: (s, x) => new SealedSecret(s, 'C', untyped({ name: 'db', namespace: 'tools', encryptedData: { password: SEALED }, ...x })),
  K3sHelmChart: (s, x) => new K3sHelmChart(s, 'C', untyped({ name: 'keel', repo: 'https://charts.keel.sh', chart: 'keel', version: '1.0.5', ...x })),
  CertIssuer: (s, x) => new CertIssuer(s, 'C', untyped({ name: 'letsencrypt', acme: { email: 'acme@example.com' }, ...x })),
  MetalLbPool: (s, x) => new MetalLbPool(s, 'C', untyped({ name: 'lan', addresses: ['192.168.1.240-192.168.1.250'], ...x })),
  Postgres: (s, x) => new Postgres(s, 'C', untyped({ name: 'db', namespace: 'tools', secretName: 'db', database: 'tools', user: 'tools', ...x })),
  Redis: (s, x) => new Redis(s, 'C', untyped({ name: 'cache', namespace: 'tools', secretName: 'cache', ...x })),
  SecurityHeaders: (s, x) => new SecurityHeaders(s, 'C', untyped({ namespace: 'tools', ...x })),
  SharedNamespace: (s, x) => new SharedNamespace(s, 'shared', untyped({ ...x })),
  StripPrefix: (s, x) => new StripPrefix(s, 'C', untyped({ name: 'strip', namespace: 'tools', prefixes: ['/api'], ...x })),
  TraefikConfig: (s, x) => new TraefikConfig(s, 'C', untyped({ acme: [{ email: 'acme@example.com' }], ...x })),
  GatewayRoute: (s, x) =>
    new GatewayRoute(
      s,
      'C',
      untyped({
        name: 'tools',
        namespace: 'tools',
        hosts: ['tools.example.com'],
        serviceName: 'tools',
        servicePort: 80,
        gatewayName: 'public',
        gatewayNamespace: 'gateway',
        ...x,
      }),
    ),
  HomelabApp: (_s, x) => new HomelabApp(untyped({ outdir: '/nonexistent', ...x })),
  Environment: (_s, x) => new Environment(untyped({ name: 'prod', domain: 'example.com', ...x })),
};

/** Constructs whose props are not a fixed set: a manifest takes any field, and the schemas check them. */
const FREE_FORM = new Set(['ManifestObject', 'Database']);

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    expect(lib.HomelabError.isHomelabError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  return '';
}

describe('props from JavaScript or a spread object', () => {
  it('are built by every public construct from valid props', () => {
    for (const [name, build] of Object.entries(BUILDERS)) {
      expect(
        errorOf(() => build(new Chart(newApp({ profile: WITH_METALLB }), 'c'), {})),
        name,
      ).toBe('');
    }
  });

  it.each(Object.keys(BUILDERS))('%s fails on a misspelled prop, naming it, its value and the nearest known prop', (name) => {
    const message = errorOf(() => BUILDERS[name](new Chart(newApp({ profile: WITH_METALLB }), 'c'), { namespac: 'tools', labelz: { a: 'b' } }));
    expect(message).toMatch(new RegExp(`props\\.namespac "tools" is not a prop of ${name}; (did you mean "\\w+"\\?|remove it)`));
    expect(message).toMatch(new RegExp(`props\\.labelz \\{"a":"b"\\} is not a prop of ${name}; (did you mean "\\w+"\\?|remove it)`));
  });

  it('suggest the prop the user meant, and check option objects and lists too', () => {
    const c = new Chart(newApp({ profile: WITH_METALLB }), 'c');
    expect(errorOf(() => BUILDERS.AppService(c, { portname: 'web' }))).toMatch(/props\.portname "web" is not a prop of AppService; did you mean "portName"\?/);
    const stack = errorOf(() =>
      BUILDERS.AppStack(newApp(), {
        replica: 2,
        volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClas: 'ssd' }],
        resources: { memoryLimt: '1Gi' },
        security: { writeablePaths: ['/cache'] },
        liveness: Probe.http('/health', { periodSecond: 5 } as object),
        postgres: { database: 'tools', user: 'tools', secretName: 'db', conection: {} },
      }),
    );
    expect(stack).toMatch(/props\.replica 2 is not a prop of AppStack; did you mean "replicas"\?/);
    expect(stack).toMatch(/props\.volumes\[0\]\.storageClas "ssd" is not a prop of PersistentVolume; did you mean "storageClass"\?/);
    expect(stack).toMatch(/props\.resources\.memoryLimt "1Gi" is not a prop of ContainerResources; did you mean "memoryLimit"\?/);
    expect(stack).toMatch(/props\.security\.writeablePaths \["\/cache"\] is not a prop of PodSecurity; did you mean "writablePaths"\?/);
    expect(stack).toMatch(/props\.liveness\.options\.periodSecond 5 is not a prop of ProbeOptions; did you mean "periodSeconds"\?/);
    expect(stack).toMatch(/props\.postgres\.conection \{\} is not a prop of AppPostgres; did you mean "connection"\?/);
    expect(stack).toMatch(/^6 problems:/);
  });

  it('report a missing required prop, or its misspelling once, and stop before the checks that would read it', () => {
    const misspelled = errorOf(() =>
      BUILDERS.AppStack(newApp(), { volumes: [{ name: 'data', mountpath: '/data', size: '1Gi' }], image: 'ghcr.io/julesfrn/tools:latest' }),
    );
    expect(misspelled).toBe('tools: props.volumes[0].mountpath "/data" is not a prop of PersistentVolume; did you mean "mountPath"? (at tools)');
    const missing = errorOf(
      () => new AppService(new Chart(newApp({ profile: WITH_METALLB }), 'c'), 'Svc', untyped({ name: 'api', namespace: 'tools', targetPort: 80 })),
    );
    expect(missing).toBe('c: props.selector is required by AppService; give selector (at c/Svc)');
  });

  it.each([
    [{ port: 'http' }, /props\.port "http" must be a number; write it as a number, without quotes/],
    [{ image: 5 }, /props\.image 5 must be a string/],
    [{ volumes: 'data' }, /props\.volumes "data" must be a list/],
    [{ volumes: ['data'] }, /props\.volumes\[0\] "data" must be an object \(a PersistentVolume\)/],
    [{ env: null }, /props\.env null must be an object/],
    [{ ipAllowList: [5] }, /props\.ipAllowList \[5\] must be a list of strings/],
    [{ allowFrom: ['web'] }, /props\.allowFrom\[0\] "web" must be an app \(an AppStack\) or a NetworkPeer/],
    [{ readiness: '/health' }, /props\.readiness "\/health" must be an object/],
    [{ readiness: { path: '/health' } }, /props\.readiness \{"path":"\/health"\} is not a Probe; make it with Probe\.http/],
    [{ mounts: [{ volume: { name: 'x' }, mountPath: '/x' }] }, /props\.mounts\[0\]\.volume \{"name":"x"\} is not a Volume/],
    [{ cronJobs: [{ name: 'x', command: ['a'] }] }, /props\.cronJobs\[0\]\.schedule is required by AppCronJobSpec/],
  ])('a value of the wrong kind from JavaScript is a problem, never a crash, in either mode: %j', (extra, pattern) => {
    for (const failFast of [true, false]) {
      const app = newApp({ failFast });
      expect(
        errorOf(() => {
          BUILDERS.AppStack(app, extra);
          app.synthFiles();
        }),
      ).toMatch(pattern);
    }
  });

  it('every public construct that takes props is covered above', () => {
    const constructs = Object.entries(lib)
      .filter(([name, v]) => typeof v === 'function' && v.prototype instanceof Construct && !FREE_FORM.has(name))
      .map(([name]) => name);
    expect(constructs).toContain('AppStack');
    expect(constructs.filter((n) => BUILDERS[n] === undefined)).toEqual([]);
  });
});
