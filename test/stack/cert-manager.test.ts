import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppStack, type AppStackProps, HomelabApp, HomelabError, type Manifest } from '../../lib';
import { at, find, TEST_SECRETS } from '../helpers';

const CA_ISSUER = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'homelab-ca' }, spec: { ca: { secretName: 'homelab-ca' } } };

function cluster(props: AppStackProps): Manifest[] {
  const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', failFast: true });
  new ApiObject(new Chart(app, 'cert-manager'), 'Ca', CA_ISSUER);
  new AppStack(app, 'grafana', props);
  return app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
}

describe('AppStack certificates from cert-manager', () => {
  const PROPS = { image: 'grafana/grafana:11.3.0', hosts: ['grafana.lan.julesfournier.fr', 'metrics.lan.julesfournier.fr'], port: 3000 };

  it('asks cert-manager for a certificate of every host and serves its Secret instead of an ACME resolver', () => {
    const all = cluster({ ...PROPS, certManager: { issuer: 'homelab-ca' } });
    expect(find(all, 'Certificate', 'grafana').spec).toEqual({
      secretName: 'grafana-tls',
      dnsNames: ['grafana.lan.julesfournier.fr', 'metrics.lan.julesfournier.fr'],
      issuerRef: { name: 'homelab-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
    expect(at(find(all, 'IngressRoute', 'grafana-websecure'), 'spec', 'tls')).toEqual({ secretName: 'grafana-tls' });
  });

  it('asks for the TLS domains when given (a wildcard), and works behind a standard Ingress too', () => {
    const wildcard = cluster({
      ...PROPS,
      certManager: { issuer: 'homelab-ca' },
      tlsDomains: [{ main: 'lan.julesfournier.fr', sans: ['*.lan.julesfournier.fr'] }],
    });
    expect(at(find(wildcard, 'Certificate', 'grafana'), 'spec', 'dnsNames')).toEqual(['lan.julesfournier.fr', '*.lan.julesfournier.fr']);
    const ingress = cluster({ ...PROPS, expose: 'ingress', certManager: { issuer: 'homelab-ca' } });
    expect(at(find(ingress, 'Certificate', 'grafana'), 'spec', 'secretName')).toBe('grafana-tls');
    expect(at(find(ingress, 'Ingress', 'grafana'), 'spec', 'tls')).toEqual([{ hosts: PROPS.hosts, secretName: 'grafana-tls' }]);
  });

  it('fails on an issuer the cluster does not define, and on a second source of the certificate', () => {
    expect(() => cluster({ ...PROPS, certManager: { issuer: 'letsencrypt' } })).toThrow(
      /grafana: Certificate\/grafana spec\.issuerRef\.name "letsencrypt" names ClusterIssuer "letsencrypt", which the cluster does not define; define it, or use one of: homelab-ca/,
    );
    expect(() => cluster({ ...PROPS, certManager: { issuer: 'homelab-ca' }, certResolver: 'letsencrypt', tlsSecretName: 'x' })).toThrow(HomelabError);
    expect(() => cluster({ ...PROPS, certManager: { issuer: 'homelab-ca' }, certResolver: 'letsencrypt' })).toThrow(
      /props\.certResolver "letsencrypt" cannot be combined with certManager: the certificate comes from one source; drop certResolver, or drop certManager/,
    );
  });
});
