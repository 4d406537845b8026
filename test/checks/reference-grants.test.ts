import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppStack, GatewayReferenceGrant, type GatewayReferenceGrantProps, HomelabApp, type Manifest } from '../../lib';
import { find, TEST_SECRETS, untyped } from '../helpers';

/** An HTTPRoute of namespace tools whose backend is Service grafana/grafana (an app on the same Gateway). */
function crossRoute(app: HomelabApp): void {
  new AppStack(app, 'grafana', {
    image: 'grafana/grafana:11.3.0',
    host: 'grafana.example.com',
    port: 3000,
    expose: 'gateway',
    gateway: { name: 'public', namespace: 'gateway' },
  });
  new ApiObject(new Chart(app, 'tools'), 'Route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'tools', namespace: 'tools' },
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateway' }],
      hostnames: ['tools.example.com'],
      rules: [{ backendRefs: [{ name: 'grafana', namespace: 'grafana', port: 80 }] }],
    },
  });
}

const GRANT: GatewayReferenceGrantProps = {
  name: 'from-tools',
  namespace: 'grafana',
  from: [{ kind: 'HTTPRoute', namespace: 'tools' }],
  to: [{ kind: 'Service', name: 'grafana' }],
};

function synth(build: (app: HomelabApp) => void): { all: Manifest[]; warnings: string[] } {
  const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', failFast: true });
  build(app);
  const all = app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
  return { all, warnings: app.warnings.map((w) => w.warning ?? '') };
}

describe('ReferenceGrants for Gateway API references across namespaces', () => {
  it('GatewayReferenceGrant lets the routes of a namespace reach a Service of its own, as a schema-valid object', () => {
    const { all } = synth((app) => {
      crossRoute(app);
      new GatewayReferenceGrant(new Chart(app, 'grants'), 'Grant', GRANT);
    });
    expect(find(all, 'ReferenceGrant', 'from-tools')).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      metadata: { namespace: 'grafana' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'tools' }],
        to: [{ group: '', kind: 'Service', name: 'grafana' }],
      },
    });
  });

  it('fails on a backend in another namespace that no grant lets in, naming the grant to add', () => {
    const build = (grant: Partial<GatewayReferenceGrantProps>) => () =>
      synth((app) => {
        crossRoute(app);
        new GatewayReferenceGrant(new Chart(app, 'grants'), 'Grant', { ...GRANT, ...grant });
      });
    const message =
      /tools: HTTPRoute\/tools spec\.rules\[0\]\.backendRefs\[0\]\.namespace "grafana" references Service grafana\/grafana, and no ReferenceGrant of grafana allows it; add a GatewayReferenceGrant in grafana from HTTPRoutes of tools to Services \(or Service grafana\)/;
    expect(build({ from: [{ kind: 'HTTPRoute', namespace: 'blog' }] })).toThrow(message);
    expect(build({ to: [{ kind: 'Service', name: 'prometheus' }] })).toThrow(message);
    expect(build({ from: [{ kind: 'Gateway', namespace: 'tools' }] })).toThrow(message);
    expect(build({ to: [{ kind: 'Service' }] })).not.toThrow();
  });

  it("asks for a grant of a Gateway's certificate Secret in another namespace, and warns when the output has no grant at all", () => {
    const gateway = (app: HomelabApp) =>
      new ApiObject(new Chart(app, 'gateway'), 'Public', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'public', namespace: 'gateway' },
        spec: {
          gatewayClassName: 'traefik',
          listeners: [{ name: 'websecure', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'wildcard-tls', namespace: 'certs' }] } }],
        },
      });
    expect(() =>
      synth((app) => {
        gateway(app);
        new GatewayReferenceGrant(new Chart(app, 'grants'), 'Grant', GRANT);
      }),
    ).toThrow(
      /gateway: Gateway\/public spec\.listeners\[0\]\.tls\.certificateRefs\[0\]\.namespace "certs" references Secret certs\/wildcard-tls, and no ReferenceGrant of certs allows it/,
    );
    expect(synth(gateway).warnings).toContain('HL-undeclared-reference-grant');
    expect(synth(crossRoute).warnings).toContain('HL-undeclared-reference-grant');
  });

  it('fails on grants that say nothing or grant within their own namespace', () => {
    const build = (props: object) => () => synth((app) => new GatewayReferenceGrant(new Chart(app, 'grants'), 'Grant', untyped({ ...GRANT, ...props })));
    expect(build({ from: [{ kind: 'HTTPRoute', namespace: 'grafana' }], to: [] })).toThrow(
      /props\.to \[\] must name at least one kind[\s\S]*props\.from\[0\]\.namespace "grafana" is the namespace of the grant: references within a namespace need no grant/,
    );
    expect(build({ to: [{ kind: 'ConfigMap' }] })).toThrow(/props\.to\[0\]\.kind "ConfigMap" must be Service or Secret/);
  });
});
