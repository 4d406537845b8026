import { describe, expect, it } from 'vitest';
import { AppStack, type AppStackProps, HomelabError, Probe } from '../../lib';
import { renderYaml } from '../../lib/synth/synthesizer';
import { at, container, find, kinds, manifests, newApp, podSpec, untyped } from '../helpers';

const GAZETTE: AppStackProps = {
  image: 'ghcr.io/julesfrn/gazette:1.4.2',
  host: 'gazette.julesfournier.fr',
  port: 80,
  imagePullSecrets: ['regcred'],
};

/** The Secrets the app's namespace has, made by hand: the registry login, and a wildcard certificate. */
function secretsOf(namespace: string): string[] {
  const ns = namespace.toLowerCase();
  return [`${ns}/regcred`, `${ns}/wildcard-tls`];
}

function stack(props: Partial<AppStackProps> = {}, id = 'gazette') {
  const app = newApp({ cluster: { certResolvers: ['letsencrypt', 'staging'] }, handMadeSecrets: secretsOf(props.namespace ?? id) });
  new AppStack(app, id, { ...GAZETTE, ...props } as AppStackProps);
  return { app, all: manifests(app) };
}

describe('AppStack', () => {
  it('emits a Namespace, NetworkPolicies, Service, Deployment, Middlewares and two IngressRoutes with readable names', () => {
    const { all } = stack();
    expect(all.map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`)).toEqual([
      'Namespace//gazette',
      'NetworkPolicy/gazette/default-deny-ingress',
      'NetworkPolicy/gazette/allow-from-traefik',
      'Service/gazette/gazette',
      'Deployment/gazette/gazette',
      'Middleware/gazette/https-redirect',
      'Middleware/gazette/security-headers',
      'IngressRoute/gazette/gazette-web',
      'IngressRoute/gazette/gazette-websecure',
    ]);
  });

  it('writes the Namespace first in the app file', () => {
    const { app } = stack();
    const [file] = app.synthFiles();
    expect(file.fileName).toBe('gazette.k8s.yaml');
    expect(kinds(file)[0]).toBe('Namespace');
    expect(renderYaml(file).startsWith('apiVersion: v1\nkind: Namespace\n')).toBe(true);
  });

  it('never adds hash suffixes to names', () => {
    const { all } = stack({}, 'blog');
    for (const m of all) {
      expect(m.metadata.name).toMatch(/^(blog|blog-web|blog-websecure|https-redirect|security-headers|default-deny-ingress|allow-from-traefik)$/);
    }
  });

  it('owns a namespace named after its id, or the one given', () => {
    expect(find(stack().all, 'Namespace', 'gazette')).toBeDefined();
    const { all } = stack({ namespace: 'blog' });
    expect(find(all, 'Namespace', 'blog')).toBeDefined();
    for (const m of all.filter((x) => x.kind !== 'Namespace')) {
      expect(m.metadata.namespace).toBe('blog');
    }
  });

  it('puts the recommended labels on every object and the pods', () => {
    const { all } = stack();
    const labels = {
      'app.kubernetes.io/name': 'gazette',
      'app.kubernetes.io/instance': 'gazette',
      'app.kubernetes.io/managed-by': 'cdk8s-homelab',
    };
    for (const m of all) {
      expect(m.metadata.labels).toMatchObject(labels);
    }
    expect(at(find(all, 'Deployment', 'gazette'), 'spec', 'template', 'metadata', 'labels')).toEqual(labels);
  });

  it('runs the image with the container port, one replica and pull secrets by default', () => {
    const { all } = stack();
    const deployment = find(all, 'Deployment', 'gazette');
    expect(at(deployment, 'spec', 'replicas')).toBe(1);
    expect(container(deployment)).toMatchObject({
      name: 'gazette',
      image: 'ghcr.io/julesfrn/gazette:1.4.2',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
    });
    expect(podSpec(deployment).imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(podSpec(find(stack({ imagePullSecrets: undefined }).all, 'Deployment', 'gazette')).imagePullSecrets).toBeUndefined();
  });

  it('sizes containers for a Raspberry Pi by default: small requests and a memory limit', () => {
    const c = container(find(stack().all, 'Deployment', 'gazette'));
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    const custom = container(find(stack({ resources: { cpuRequest: '100m', memoryLimit: '1Gi', cpuLimit: '1' } }).all, 'Deployment', 'gazette'));
    expect(custom.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '1Gi', cpu: '1' } });
  });

  it('passes replicas, env, command and args to the Deployment', () => {
    const d = find(stack({ replicas: 2, env: { TZ: 'Europe/Paris', LOG_LEVEL: 'info' }, command: ['/app'], args: ['--serve'] }).all, 'Deployment', 'gazette');
    expect(at(d, 'spec', 'replicas')).toBe(2);
    expect(container(d)).toMatchObject({
      command: ['/app'],
      args: ['--serve'],
      env: [
        { name: 'TZ', value: 'Europe/Paris' },
        { name: 'LOG_LEVEL', value: 'info' },
      ],
    });
  });

  it('probes the container port over TCP by default, and takes HTTP, exec and startup probes', () => {
    const plain = container(find(stack().all, 'Deployment', 'gazette'));
    expect(plain.readinessProbe).toEqual({ tcpSocket: { port: 80 }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 });
    expect(plain.livenessProbe).toEqual({ tcpSocket: { port: 80 }, periodSeconds: 20, timeoutSeconds: 2, failureThreshold: 3 });
    expect(plain.startupProbe).toBeUndefined();
    const custom = container(
      find(
        stack({
          readiness: Probe.http('/healthz', { periodSeconds: 5 }),
          liveness: Probe.exec(['cat', '/tmp/alive']),
          startup: Probe.tcp({ failureThreshold: 30, port: 9000 }),
        }).all,
        'Deployment',
        'gazette',
      ),
    );
    expect(custom.readinessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 });
    expect(custom.livenessProbe).toMatchObject({ exec: { command: ['cat', '/tmp/alive'] } });
    expect(custom.startupProbe).toMatchObject({ tcpSocket: { port: 9000 }, failureThreshold: 30 });
  });

  it('pins pods to the requested architecture', () => {
    expect(podSpec(find(stack({ arch: 'arm64' }).all, 'Deployment', 'gazette')).nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(podSpec(find(stack().all, 'Deployment', 'gazette')).nodeSelector).toBeUndefined();
  });

  it('exposes the pods through a ClusterIP Service on port 80 that targets the container port', () => {
    const { all } = stack({ port: 3000 });
    const service = find(all, 'Service', 'gazette');
    const deployment = find(all, 'Deployment', 'gazette');
    expect(at(service, 'spec', 'type')).toBe('ClusterIP');
    expect(at(service, 'spec', 'ports')).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 3000 }]);
    const selector = at(service, 'spec', 'selector') as Record<string, string>;
    const podLabels = at(deployment, 'spec', 'template', 'metadata', 'labels') as Record<string, string>;
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    expect(podLabels).toMatchObject(selector);
    expect(at(deployment, 'spec', 'selector', 'matchLabels')).toEqual(selector);
    expect(at(find(stack({ servicePort: 8080 }).all, 'Service', 'gazette'), 'spec', 'ports', 0, 'port')).toBe(8080);
  });

  it('redirects plain HTTP on the web entry point to HTTPS with a permanent redirectScheme', () => {
    const { all } = stack();
    expect(at(find(all, 'Middleware', 'https-redirect'), 'spec')).toEqual({ redirectScheme: { scheme: 'https', permanent: true } });
    const web = find(all, 'IngressRoute', 'gazette-web');
    expect(at(web, 'spec', 'entryPoints')).toEqual(['web']);
    expect(at(web, 'spec', 'routes', 0, 'match')).toBe('Host(`gazette.julesfournier.fr`)');
    expect(at(web, 'spec', 'routes', 0, 'middlewares')).toEqual([{ name: 'https-redirect', namespace: 'gazette' }]);
    expect(at(web, 'spec', 'tls')).toBeUndefined();
  });

  it('serves HTTPS on websecure with TLS from the letsencrypt resolver', () => {
    const websecure = find(stack().all, 'IngressRoute', 'gazette-websecure');
    expect(at(websecure, 'spec', 'entryPoints')).toEqual(['websecure']);
    expect(at(websecure, 'spec', 'routes', 0)).toEqual({
      kind: 'Rule',
      match: 'Host(`gazette.julesfournier.fr`)',
      middlewares: [{ name: 'security-headers', namespace: 'gazette' }],
      services: [{ kind: 'Service', name: 'gazette', namespace: 'gazette', port: 80 }],
    });
    expect(at(websecure, 'spec', 'tls')).toEqual({ certResolver: 'letsencrypt' });
  });

  it('routes every host of the app, with a Host() matcher each', () => {
    const { all } = stack({ host: undefined, hosts: ['whoami.julesfournier.fr', 'echo.julesfournier.fr'] });
    const match = 'Host(`whoami.julesfournier.fr`) || Host(`echo.julesfournier.fr`)';
    expect(at(find(all, 'IngressRoute', 'gazette-websecure'), 'spec', 'routes', 0, 'match')).toBe(match);
    expect(at(find(all, 'IngressRoute', 'gazette-web'), 'spec', 'routes', 0, 'match')).toBe(match);
  });

  it('takes a certResolver name, a TLS secret instead, and certificate domains', () => {
    expect(at(find(stack({ certResolver: 'staging' }).all, 'IngressRoute', 'gazette-websecure'), 'spec', 'tls')).toEqual({ certResolver: 'staging' });
    expect(at(find(stack({ tlsSecretName: 'wildcard-tls' }).all, 'IngressRoute', 'gazette-websecure'), 'spec', 'tls')).toEqual({ secretName: 'wildcard-tls' });
    const domains = [{ main: 'julesfournier.fr', sans: ['gazette.julesfournier.fr'] }];
    expect(at(find(stack({ tlsDomains: domains }).all, 'IngressRoute', 'gazette-websecure'), 'spec', 'tls')).toEqual({ certResolver: 'letsencrypt', domains });
    expect(at(find(stack({ tlsDomains: [{ main: '*.julesfournier.fr' }] }).all, 'IngressRoute', 'gazette-websecure'), 'spec', 'tls', 'domains')).toEqual([
      { main: '*.julesfournier.fr' },
    ]);
  });

  it('resolves its defaults into public fields that match the docs', () => {
    const app = newApp();
    const s = new AppStack(app, 'gazette', GAZETTE);
    const { deployment, httpsRedirect, route } = s;
    if (!deployment || !httpsRedirect || !route) {
      throw new Error('a web app has a Deployment, an https redirect and a route');
    }
    expect(s.appName).toBe('gazette');
    expect(s.appNamespace.name).toBe('gazette');
    expect(deployment.replicas).toBe(1);
    expect(deployment.resources).toEqual({ cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi', cpuLimit: undefined });
    expect(s.service?.port).toBe(80);
    expect(httpsRedirect.name).toBe('https-redirect');
    expect(httpsRedirect.permanent).toBe(true);
    expect(route.certResolver).toBe('letsencrypt');
    expect(s.hosts).toEqual(['gazette.julesfournier.fr']);
  });

  it('matches the snapshot of the gazette chart', () => {
    const { app } = stack({ tlsDomains: [{ main: 'julesfournier.fr', sans: ['gazette.julesfournier.fr'] }] });
    expect(renderYaml(app.synthFiles()[0])).toMatchSnapshot();
  });
});

describe('AppStack errors', () => {
  const fails = (props: Partial<AppStackProps>, pattern: RegExp, id = 'gazette') => expect(() => stack(props, id)).toThrow(pattern);

  it('fails if the host is not a valid DNS name, naming app, field, value and place', () => {
    fails({ host: 'gazette..fr' }, /^gazette: props\.host "gazette\.\.fr" is not a valid DNS name; .* \(at gazette\)$/);
    fails({ host: 'Gazette.Example.com' }, /props\.host "Gazette\.Example\.com" is not a valid DNS name/);
    fails({ host: 'localhost' }, /props\.host "localhost" is not a valid DNS name/);
  });

  it('fails if both host and hosts are given, or neither', () => {
    fails({ hosts: ['a.example.com'] }, /gazette: props\.hosts \["a\.example\.com"\] cannot be combined with props\.host/);
    fails({ host: undefined }, /gazette: props\.host is missing/);
    fails({ host: undefined, hosts: [] }, /gazette: props\.host is missing/);
  });

  it('fails if a host is listed twice', () => {
    fails({ host: undefined, hosts: ['a.example.com', 'a.example.com'] }, /props\.hosts "a\.example\.com" is listed twice/);
  });

  it('fails if the app id cannot name a Service', () => {
    fails({}, /^Gazette: id "Gazette" is not a valid app name/, 'Gazette');
    fails({}, /id "9lives" is not a valid app name/, '9lives');
    fails({}, /is not a valid app name/, `a${'b'.repeat(53)}`);
  });

  it('fails if a port is out of range', () => {
    fails({ port: 70000 }, /^gazette: props\.port 70000 must be an integer from 1 to 65535 \(at gazette\)$/);
    fails({ port: 0 }, /props\.port 0 must be an integer/);
    fails({ servicePort: 1.5 }, /props\.servicePort 1\.5 must be an integer/);
  });

  it('fails if the image reference is invalid', () => {
    fails({ image: 'ghcr.io/JulesFrn/gazette:1.4.2' }, /props\.image "ghcr\.io\/JulesFrn\/gazette:1\.4\.2" is not a valid image reference/);
    fails({ image: 'gazette:' }, /is not a valid image reference/);
    fails({ image: 'a b' }, /is not a valid image reference/);
  });

  it('fails if replicas is negative or fractional', () => {
    fails({ replicas: -1 }, /props\.replicas -1 must be a whole number/);
    fails({ replicas: 1.5 }, /props\.replicas 1\.5 must be a whole number/);
  });

  it('fails if a resource is not a quantity, or a request is above its limit', () => {
    fails({ resources: { memoryLimit: '10 GB' } }, /props\.resources\.memoryLimit "10 GB" is not a Kubernetes quantity/);
    fails({ resources: { memoryRequest: '1Gi' } }, /props\.resources\.memoryRequest "1Gi" is above memoryLimit 256Mi/);
    fails({ resources: { cpuRequest: '2', cpuLimit: '500m' } }, /props\.resources\.cpuRequest "2" is above cpuLimit 500m/);
  });

  it('fails if an env name is invalid or a pull secret name is invalid', () => {
    fails({ env: { '1BAD': 'x' } }, /props\.env\.1BAD "1BAD" is not a valid environment variable name/);
    fails({ imagePullSecrets: ['Reg_Cred'] }, /props\.imagePullSecrets\[0\] "Reg_Cred" is not a valid Secret name/);
  });

  it('fails if the certificate domains do not cover every host', () => {
    fails(
      { tlsDomains: [{ main: 'julesfournier.fr' }] },
      /props\.tlsDomains \["julesfournier\.fr"\] does not cover host "gazette\.julesfournier\.fr"; add "gazette\.julesfournier\.fr"/,
    );
    fails({ tlsDomains: [{ main: '*.example.com' }] }, /does not cover host/);
  });

  it('fails if certResolver and tlsSecretName are both set', () => {
    fails({ certResolver: 'letsencrypt', tlsSecretName: 'tls' }, /props\.certResolver "letsencrypt" cannot be combined with tlsSecretName/);
  });

  it('fails if a probe is built wrong, naming the prop it is given to, with every other problem', () => {
    expect(() => Probe.http('healthz')).not.toThrow();
    fails(
      { readiness: Probe.http('healthz'), liveness: Probe.exec([]), startup: Probe.tcp({ port: 99999 }) },
      /props\.readiness\.path "healthz" must start with "\/"; write Probe\.http\('\/healthz'\)[\s\S]*props\.liveness\.command \[\] must not be empty[\s\S]*props\.startup\.port 99999 must be an integer/,
    );
  });

  it('fails if two apps have one id, as a problem and not a stack trace', () => {
    const app = newApp();
    new AppStack(app, 'blog', GAZETTE);
    expect(() => new AppStack(app, 'blog', GAZETTE)).toThrow(HomelabError);
    expect(() => new AppStack(app, 'blog', GAZETTE)).toThrow(/blog: id "blog" is already the id of another app in this App; give each one its own id/);
  });

  it('fails if the arch is unknown', () => {
    fails({ arch: 's390x' as never }, /props\.arch "s390x" must be one of arm64, amd64, arm/);
  });

  it('reports every mistake of a construct at once', () => {
    try {
      stack({ port: 0, image: 'BAD', replicas: -2 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HomelabError);
      const fields = (e as HomelabError).problems.map((p) => p.field);
      expect(fields).toEqual(['props.image', 'props.port', 'props.replicas']);
      expect((e as Error).message).toMatch(/^3 problems:\n {2}- gazette: props\.image/);
    }
  });
});

describe('AppStackProps', () => {
  const base = { image: 'ghcr.io/me/app:1.0.0', port: 8080 };

  it('does not type-check an option of another way of being reached (npm test type-checks this file)', () => {
    const valid: AppStackProps[] = [
      { ...base, host: 'app.example.com', ipAllowList: ['10.0.0.0/8'], certResolver: 'letsencrypt', paths: [{ prefix: '/api' }] },
      { ...base, expose: 'ingress', host: 'app.example.com', ingressClassName: 'nginx', tlsSecretName: 'app-tls', ipAllowList: ['10.0.0.0/8'] },
      { ...base, expose: 'tcp', tcp: { entryPoint: 'mqtt' } },
      { ...base, expose: 'loadBalancer', servicePort: 1883 },
      { ...base, expose: 'none', allowFrom: [{ namespace: 'other', podSelector: { app: 'other' } }] },
    ];
    const invalid: AppStackProps[] = [
      // @ts-expect-error a TCP app has no host
      { ...base, expose: 'tcp', tcp: { entryPoint: 'mqtt' }, host: 'app.example.com' },
      // @ts-expect-error a TCP app needs its entry point
      { ...base, expose: 'tcp' },
      // @ts-expect-error paths are Traefik routes: HTTPS only
      { ...base, expose: 'ingress', host: 'app.example.com', paths: [{ prefix: '/api' }] },
      // @ts-expect-error the ingress class is for expose: 'ingress'
      { ...base, host: 'app.example.com', ingressClassName: 'nginx' },
      // @ts-expect-error an app nobody routes to has no TLS
      { ...base, expose: 'none', tlsDomains: [{ main: 'example.com' }] },
    ];
    // The type checker is the test; at run time, synth refuses each invalid one too.
    expect(valid).toHaveLength(5);
    for (const props of invalid) {
      expect(() => new AppStack(newApp(), 'app', props)).toThrow(HomelabError);
    }
  });
});

describe('AppStack errors name the value the user wrote, once', () => {
  it('reports each bad allow-list entry, and nothing about the list as a whole', () => {
    const app = newApp({ networks: { vpn: ['10.8.0.0/24'] } });
    let problems: readonly { field: string; value?: unknown }[] = [];
    try {
      new AppStack(app, 'admin', {
        image: 'ghcr.io/me/admin:1.0.0',
        host: 'admin.example.com',
        port: 8080,
        ipAllowList: ['vpm', '10.8.0.0/33', '192.168.1.300'],
      });
    } catch (e) {
      problems = HomelabError.isHomelabError(e) ? e.problems : [];
    }
    expect(problems.map((p) => [p.field, p.value])).toEqual([
      ['props.ipAllowList[0]', 'vpm'],
      ['props.ipAllowList[1]', '10.8.0.0/33'],
      ['props.ipAllowList[2]', '192.168.1.300'],
    ]);
  });

  it('shows the option, not the exposure, as the bad value of an HTTPS-only option', () => {
    const props = untyped<AppStackProps>({
      image: 'ghcr.io/me/admin:1.0.0',
      port: 8080,
      expose: 'tcp',
      tcp: { entryPoint: 'admin' },
      ipAllowList: ['10.0.0.0/8'],
      paths: [{ prefix: '/api' }],
      sso: { address: 'http://auth.example.com/outpost', outpostService: { name: 'auth', namespace: 'auth', port: 9000 } },
    });
    expect(() => new AppStack(newApp(), 'admin', props)).toThrow(
      /props\.sso "http:\/\/auth\.example\.com\/outpost" only applies to expose: "https".*not "tcp"[\s\S]*props\.ipAllowList \["10\.0\.0\.0\/8"\] only applies[\s\S]*props\.paths \[\{"prefix":"\/api"\}\] only applies/,
    );
  });
});

describe('AppStack props from JavaScript or a spread object', () => {
  it('fails if a prop name is unknown, suggesting the nearest known one', () => {
    const common = { image: 'ghcr.io/me/blog:1.0.0', host: 'blog.example.com', port: 8080 };
    const props = untyped<AppStackProps>({
      ...common,
      imagePullSecret: ['regcred'],
      volume: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
      domains: ['example.com'],
    });
    expect(() => new AppStack(newApp(), 'blog', props)).toThrow(
      /props\.imagePullSecret \["regcred"\] is not a prop of AppStack; did you mean "imagePullSecrets"\?[\s\S]*props\.volume .* is not a prop of AppStack; did you mean "volumes"\?[\s\S]*props\.domains \["example\.com"\] is not a prop of AppStack; remove it/,
    );
  });
});

describe('AppStack mount paths', () => {
  it('fails if a volume or config is mounted where something else is, naming the props the user wrote', () => {
    const props = {
      ...GAZETTE,
      security: { writablePaths: ['/var/cache/app'] },
      volumes: [
        { name: 'data', mountPath: '/tmp', size: '1Gi' },
        { name: 'cache', mountPath: '/var/cache/app', size: '1Gi' },
      ],
      config: [{ name: 'site', data: { 'a.conf': 'x' }, mountPath: '/var/cache/app' }],
    };
    expect(() => new AppStack(newApp(), 'gazette', props)).toThrow(
      /props\.volumes\[0\]\.mountPath "\/tmp" is already mounted by the writable \/tmp every pod gets[\s\S]*props\.volumes\[1\]\.mountPath "\/var\/cache\/app" is already mounted by props\.security\.writablePaths[\s\S]*props\.config\[0\]\.mountPath "\/var\/cache\/app" is already mounted by props\.volumes\[1\]\.mountPath/,
    );
  });
});
