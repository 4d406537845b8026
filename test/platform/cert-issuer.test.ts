import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppStack, CertIssuer, type CertIssuerProps, HomelabApp, type Manifest } from '../../lib';
import { find, TEST_SECRETS, untyped } from '../helpers';

function cluster(build: (app: HomelabApp) => void): Manifest[] {
  const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', failFast: true });
  build(app);
  return app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
}
const issuer = (props: CertIssuerProps) => cluster((app) => new CertIssuer(new Chart(app, 'cert-manager'), 'Issuer', props));

describe('CertIssuer (cert-manager)', () => {
  it("gets certificates from Let's Encrypt through the ingress controller, as a schema-valid ClusterIssuer", () => {
    expect(find(issuer({ name: 'letsencrypt', acme: { email: 'acme@julesfournier.fr' } }), 'ClusterIssuer', 'letsencrypt').spec).toEqual({
      acme: {
        email: 'acme@julesfournier.fr',
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        privateKeySecretRef: { name: 'letsencrypt-account-key' },
        solvers: [{ http01: { ingress: { ingressClassName: 'traefik' } } }],
      },
    });
  });

  it('solves DNS-01 with credentials from a Secret, by reference', () => {
    const cloudflare = issuer({ name: 'dns', acme: { email: 'a@b.fr', staging: true, dns01: { provider: 'cloudflare', credentialsSecret: 'cloudflare' } } });
    expect(find(cloudflare, 'ClusterIssuer', 'dns').spec).toMatchObject({
      acme: {
        server: 'https://acme-staging-v02.api.letsencrypt.org/directory',
        solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare', key: 'api-token' } } } }],
      },
    });
    const rfc = issuer({
      name: 'lan',
      acme: { email: 'a@b.fr', dns01: { provider: 'rfc2136', credentialsSecret: 'tsig', nameserver: '192.168.1.1:53', tsigKeyName: 'acme' } },
    });
    expect(find(rfc, 'ClusterIssuer', 'lan').spec).toMatchObject({
      acme: {
        solvers: [{ dns01: { rfc2136: { nameserver: '192.168.1.1:53', tsigKeyName: 'acme', tsigSecretSecretRef: { name: 'tsig', key: 'tsig-secret' } } } }],
      },
    });
  });

  it('signs with your own CA, and an app of the namespace takes its certificate from it', () => {
    const all = cluster((app) => {
      new CertIssuer(new Chart(app, 'ca'), 'Ca', { name: 'homelab-ca', namespace: 'grafana', caSecret: 'homelab-ca' });
      new AppStack(app, 'grafana', { image: 'grafana/grafana:11.3.0', host: 'grafana.lan', port: 3000, certManager: { issuer: 'homelab-ca', kind: 'Issuer' } });
    });
    expect(find(all, 'Issuer', 'homelab-ca').spec).toEqual({ ca: { secretName: 'homelab-ca' } });
    expect(find(all, 'Certificate', 'grafana').spec).toMatchObject({ issuerRef: { name: 'homelab-ca', kind: 'Issuer' } });
  });

  it('fails on an issuer it cannot make, naming each mistake', () => {
    expect(() => issuer(untyped({ name: 'x', acme: { email: 'a@b.fr' }, caSecret: 'ca' }))).toThrow(
      /props\.acme .* or caSecret must be given, not both nor neither/,
    );
    expect(() => issuer(untyped({ name: 'x', acme: { email: 'a@b.fr', dns01: { provider: 'ovh', credentialsSecret: 'ovh' } } }))).toThrow(
      /props\.acme\.dns01\.provider "ovh" must be one of cloudflare, route53, rfc2136; other providers \(OVH, Gandi\.\.\.\) need a cert-manager webhook, or Traefik's own ACME/,
    );
    expect(() => issuer({ name: 'x', acme: { email: 'not-an-email', dns01: { provider: 'rfc2136', credentialsSecret: 'tsig' } } })).toThrow(
      /props\.acme\.email "not-an-email" is not an email address[\s\S]*props\.acme\.dns01\.nameserver is required as host:port with rfc2136[\s\S]*tsigKeyName is required with rfc2136/,
    );
  });

  it('fails on a wildcard certificate from an issuer that solves HTTP-01 only, and takes it from a DNS-01 one', () => {
    const build = (acme: CertIssuerProps['acme']) => () =>
      cluster((app) => {
        new CertIssuer(new Chart(app, 'cert-manager'), 'Issuer', { name: 'letsencrypt', acme });
        new AppStack(app, 'grafana', {
          image: 'grafana/grafana:11.3.0',
          host: 'grafana.julesfournier.fr',
          port: 3000,
          certManager: { issuer: 'letsencrypt' },
          tlsDomains: [{ main: 'julesfournier.fr', sans: ['*.julesfournier.fr'] }],
        });
      });
    expect(build({ email: 'a@b.fr' })).toThrow(
      /Certificate\/grafana spec\.dnsNames\[1\] "\*\.julesfournier\.fr" is a wildcard, which Let's Encrypt issues only through DNS-01, and issuer letsencrypt solves HTTP-01 only/,
    );
    expect(build({ email: 'a@b.fr', dns01: { provider: 'cloudflare', credentialsSecret: 'cloudflare' } })).not.toThrow();
  });
});
