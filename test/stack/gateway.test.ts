import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppGateway, AppStack, HomelabApp, type Manifest } from '../../lib';
import { at, find, TEST_SECRETS, untyped } from '../helpers';

const GATEWAY = { name: 'public', namespace: 'gateway' };
const GRAFANA = { image: 'grafana/grafana:11.3.0', host: 'grafana.julesfournier.fr', port: 3000, expose: 'gateway' as const, gateway: GATEWAY };

function cluster(build: (app: HomelabApp) => void): Manifest[] {
  const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', failFast: true });
  build(app);
  return app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
}

describe('AppStack through a Gateway API gateway', () => {
  it('attaches an HTTPRoute to the HTTPS listener and redirects the HTTP listener, every object checked', () => {
    const all = cluster((app) => new AppStack(app, 'grafana', GRAFANA));
    const parent = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway' };
    expect(find(all, 'HTTPRoute', 'grafana').spec).toEqual({
      parentRefs: [{ ...parent, sectionName: 'websecure' }],
      hostnames: ['grafana.julesfournier.fr'],
      rules: [
        {
          filters: [
            {
              type: 'ResponseHeaderModifier',
              responseHeaderModifier: {
                set: [
                  { name: 'Strict-Transport-Security', value: 'max-age=31536000' },
                  { name: 'X-Frame-Options', value: 'DENY' },
                  { name: 'X-Content-Type-Options', value: 'nosniff' },
                  { name: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
                ],
              },
            },
          ],
          backendRefs: [{ name: 'grafana', port: 80 }],
        },
      ],
    });
    expect(find(all, 'HTTPRoute', 'grafana-redirect').spec).toEqual({
      parentRefs: [{ ...parent, sectionName: 'web' }],
      hostnames: ['grafana.julesfournier.fr'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
    expect(all.filter((m) => m.kind === 'IngressRoute' || m.kind === 'Middleware')).toEqual([]);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-traefik'), 'spec', 'ingress', 0, 'ports')).toEqual([{ port: 3000, protocol: 'TCP' }]);
  });

  it('sets the security headers it is given, or none', () => {
    const headers = (securityHeaders: unknown) =>
      at(
        find(
          cluster((app) => new AppStack(app, 'grafana', untyped({ ...GRAFANA, securityHeaders }))),
          'HTTPRoute',
          'grafana',
        ),
        'spec',
        'rules',
        0,
        'filters',
      );
    expect(headers({ stsIncludeSubdomains: true, frameDeny: false, customResponseHeaders: { Server: '', 'X-Robots-Tag': 'noindex' } })).toEqual([
      {
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: {
          set: [
            { name: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
            { name: 'X-Content-Type-Options', value: 'nosniff' },
            { name: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
            { name: 'X-Robots-Tag', value: 'noindex' },
          ],
          remove: ['Server'],
        },
      },
    ]);
    expect(headers(false)).toBeUndefined();
  });

  it('fails if two apps claim one host on one listener, and not on different gateways', () => {
    expect(() =>
      cluster((app) => {
        new AppStack(app, 'grafana', GRAFANA);
        new AppStack(app, 'copy', GRAFANA);
      }),
    ).toThrow(
      /copy: HTTPRoute\/copy spec\.hostnames\[0\] "grafana\.julesfournier\.fr" is already routed on entry point gateway gateway\/public\/websecure by HTTPRoute grafana\/grafana/,
    );
    expect(() =>
      cluster((app) => {
        new AppStack(app, 'grafana', GRAFANA);
        new AppStack(app, 'copy', { ...GRAFANA, gateway: { name: 'lan', namespace: 'gateway' } });
      }),
    ).not.toThrow();
  });

  it("checks the route's backend like an IngressRoute's", () => {
    expect(() =>
      cluster((app) => {
        new AppStack(app, 'grafana', GRAFANA).gatewayRoute?.route.addJsonPatch(JsonPatch.replace('/spec/rules/0/backendRefs/0/port', 8080));
      }),
    ).toThrow(/HTTPRoute\/grafana spec\.rules\[0\]\.backendRefs\[0\]\.port 8080 is not a port of Service grafana\/grafana; use one of 80 \(http\)/);
  });

  it('fails without a gateway, or with an option of another way in', () => {
    expect(() => cluster((app) => new AppStack(app, 'grafana', untyped({ ...GRAFANA, gateway: undefined })))).toThrow(
      /props\.gateway is required with expose: "gateway"; name the Gateway/,
    );
    expect(() => cluster((app) => new AppStack(app, 'grafana', untyped({ ...GRAFANA, ipAllowList: ['10.0.0.0/8'] })))).toThrow(
      /props\.ipAllowList \["10\.0\.0\.0\/8"\] only applies to expose: "https" or "ingress" \(a Traefik middleware, or an NGINX annotation\), not "gateway"/,
    );
  });

  describe('attached to a Gateway of the cluster', () => {
    const gateway = (app: HomelabApp, from: string, listener = 'websecure') =>
      new ApiObject(new Chart(app, 'gateway'), 'Public', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'public', namespace: 'gateway' },
        spec: {
          gatewayClassName: 'traefik',
          listeners: [
            { name: 'web', port: 8000, protocol: 'HTTP', allowedRoutes: { namespaces: { from } } },
            {
              name: listener,
              port: 8443,
              protocol: 'HTTPS',
              hostname: '*.julesfournier.fr',
              tls: { certificateRefs: [{ name: 'wildcard-tls' }] },
              allowedRoutes: { namespaces: { from } },
            },
          ],
        },
      });

    it('passes when the Gateway has the listeners and admits the namespace', () => {
      expect(() =>
        cluster((app) => {
          gateway(app, 'All');
          new AppStack(app, 'grafana', GRAFANA);
        }),
      ).not.toThrow();
    });

    it('fails, by name, on a Gateway or listener the cluster lacks, or one that admits only its own namespace', () => {
      expect(() =>
        cluster((app) => {
          gateway(app, 'All');
          new AppStack(app, 'grafana', { ...GRAFANA, gateway: { ...GATEWAY, name: 'private' } });
        }),
      ).toThrow(/HTTPRoute\/grafana spec\.parentRefs\[0\]\.name "gateway\/private" is not a Gateway of the cluster; use one of: gateway\/public/);
      expect(() =>
        cluster((app) => {
          gateway(app, 'All', 'https');
          new AppStack(app, 'grafana', GRAFANA);
        }),
      ).toThrow(/HTTPRoute\/grafana spec\.parentRefs\[0\]\.sectionName "websecure" is not a listener of Gateway gateway\/public; use one of: web, https/);
      expect(() =>
        cluster((app) => {
          gateway(app, 'Same');
          new AppStack(app, 'grafana', GRAFANA);
        }),
      ).toThrow(/HTTPRoute\/grafana spec\.parentRefs\[0\] "gateway\/public\/websecure" does not let routes of namespace grafana attach/);
    });

    it('warns when the output defines no Gateway', () => {
      const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', failFast: true });
      new AppStack(app, 'grafana', GRAFANA);
      app.synthFiles();
      expect(app.warnings.map((w) => w.warning)).toContain('HL-undeclared-gateway');
    });
  });
});

describe('AppGateway', () => {
  it('listens on HTTP and HTTPS for the routes of every namespace, its wildcard certificate from cert-manager', () => {
    const all = cluster((app) => {
      const gateway = new AppGateway(new Chart(app, 'gateway'), 'Lab', {
        name: 'lab',
        namespace: 'gateway',
        hostname: '*.julesfournier.fr',
        certManager: { issuer: 'letsencrypt-dns' },
      });
      new AppStack(app, 'grafana', { ...GRAFANA, gateway: gateway.ref });
    });
    expect(find(all, 'Gateway', 'lab').spec).toEqual({
      gatewayClassName: 'traefik',
      listeners: [
        { name: 'web', port: 8000, protocol: 'HTTP', hostname: '*.julesfournier.fr', allowedRoutes: { namespaces: { from: 'All' } } },
        {
          name: 'websecure',
          port: 8443,
          protocol: 'HTTPS',
          hostname: '*.julesfournier.fr',
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'lab-tls' }] },
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
    });
    expect(find(all, 'Certificate', 'lab').spec).toMatchObject({ dnsNames: ['*.julesfournier.fr'], secretName: 'lab-tls' });
  });

  it("fails on a route whose host the listener's hostname does not take", () => {
    const build = (host: string) => () =>
      cluster((app) => {
        const gateway = new AppGateway(new Chart(app, 'gateway'), 'Lab', { name: 'lab', namespace: 'gateway', hostname: '*.lab.julesfournier.fr' });
        new AppStack(app, 'grafana', { ...GRAFANA, host, gateway: gateway.ref });
      });
    expect(build('grafana.lab.julesfournier.fr')).not.toThrow();
    expect(build('a.grafana.lab.julesfournier.fr')).not.toThrow();
    expect(build('grafana.julesfournier.fr')).toThrow(
      /grafana: HTTPRoute\/grafana spec\.hostnames\[0\] "grafana\.julesfournier\.fr" is not a host of the listeners of Gateway gateway\/lab \(\*\.lab\.julesfournier\.fr\)/,
    );
  });

  it('fails on a certificate without a hostname, bad ports, and routes of other namespaces kept out', () => {
    const build = (props: object) => () =>
      cluster((app) => new AppGateway(new Chart(app, 'gateway'), 'Lab', untyped({ name: 'lab', namespace: 'gateway', ...props })));
    expect(build({ certManager: { issuer: 'le' }, ports: { http: 443, https: 443 } })).toThrow(
      /props\.certManager \{"issuer":"le"\} needs the hostname to certify[\s\S]*props\.ports \{"http":443,"https":443\} gives both listeners the same port/,
    );
    expect(() =>
      cluster((app) => {
        const gateway = new AppGateway(new Chart(app, 'gateway'), 'Lab', { name: 'lab', namespace: 'gateway', allowedRoutes: 'Same' });
        new AppStack(app, 'grafana', { ...GRAFANA, gateway: gateway.ref });
      }),
    ).toThrow(/does not let routes of namespace grafana attach/);
  });
});
