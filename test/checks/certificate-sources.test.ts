import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppCertificate, type AppCertificateProps, AppStack, HomelabApp } from '../../lib';
import { TEST_SECRETS } from '../helpers';

const BLOG = { image: 'ghcr.io/julesfrn/blog:1.0.0', host: 'blog.example.com', port: 8080 };

/** Synthesizes a cluster with every check on; throws its problems. */
function synth(build: (app: HomelabApp) => void): void {
  const app = new HomelabApp({ handMadeSecrets: [...TEST_SECRETS], outdir: '/nonexistent', failFast: true });
  build(app);
  app.synthFiles();
}

const certificate = (app: HomelabApp, id: string, props: Partial<AppCertificateProps>) =>
  new AppCertificate(new Chart(app, id), 'Certificate', {
    name: id,
    namespace: 'blog',
    dnsNames: ['blog.example.com'],
    secretName: `${id}-tls`,
    issuer: 'letsencrypt',
    ...props,
  });

describe('certificateSources: every host has exactly one source of its certificate', () => {
  it('passes with one source per host: a resolver, or a Secret whose certificate covers the host (a wildcard too)', () => {
    expect(() => synth((app) => new AppStack(app, 'blog', BLOG))).not.toThrow();
    expect(() => synth((app) => new AppStack(app, 'blog', { ...BLOG, certManager: { issuer: 'letsencrypt' } }))).not.toThrow();
    expect(() =>
      synth((app) => {
        certificate(app, 'wildcard', { dnsNames: ['*.example.com'], secretName: 'wildcard-tls' });
        new AppStack(app, 'blog', { ...BLOG, tlsSecretName: 'wildcard-tls' });
      }),
    ).not.toThrow();
    // A Secret the output does not issue (made by hand, sealed) is taken as it is.
    expect(() => synth((app) => new AppStack(app, 'blog', { ...BLOG, tlsSecretName: 'by-hand-tls' }))).not.toThrow();
  });

  it('fails on a host that a Traefik resolver and a cert-manager certificate both serve, naming both', () => {
    expect(() =>
      synth((app) => {
        new AppStack(app, 'blog', BLOG);
        certificate(app, 'extra', {});
      }),
    ).toThrow(
      /blog: IngressRoute\/blog-websecure spec\.routes\[0\]\.match "blog\.example\.com" gets a certificate from Traefik's resolver letsencrypt, and Certificate blog\/extra issues another one for it: two sources; serve the host with the cert-manager certificate/,
    );
  });

  it('fails on a Secret that two certificates write: two Certificates, or a Certificate and an Ingress annotation', () => {
    expect(() =>
      synth((app) => {
        certificate(app, 'one', { secretName: 'shared-tls' });
        certificate(app, 'two', { secretName: 'shared-tls' });
      }),
    ).toThrow(
      /two: Certificate\/two spec\.secretName "blog\/shared-tls" is also the Secret of Certificate blog\/one: two certificates would overwrite each other/,
    );
    expect(() =>
      synth((app) => {
        const stack = new AppStack(app, 'blog', { ...BLOG, expose: 'ingress', certManager: { issuer: 'letsencrypt' } });
        stack.ingress?.resource.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'cert-manager.io/cluster-issuer': 'letsencrypt' }));
      }),
    ).toThrow(/blog: Ingress\/blog spec\.tls\[0\]\.secretName "blog\/blog-tls" is also the Secret of Certificate blog\/blog/);
  });

  it('fails on a route that serves a Secret whose certificate does not cover its host, through any kind of route', () => {
    expect(() =>
      synth((app) => {
        certificate(app, 'other', { dnsNames: ['www.example.com', '*.lab.example.com'], secretName: 'other-tls' });
        new AppStack(app, 'blog', { ...BLOG, tlsSecretName: 'other-tls' });
      }),
    ).toThrow(
      /blog: IngressRoute\/blog-websecure spec\.routes\[0\]\.match "blog\.example\.com" is served with the certificate in Secret blog\/other-tls, which Certificate blog\/other issues for www\.example\.com, \*\.lab\.example\.com only; add "blog\.example\.com"/,
    );
    expect(() =>
      synth((app) => {
        certificate(app, 'other', { namespace: 'gateway', dnsNames: ['*.lab.example.com'], secretName: 'wildcard-tls' });
        new ApiObject(new Chart(app, 'gateway'), 'Public', {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'public', namespace: 'gateway' },
          spec: {
            gatewayClassName: 'traefik',
            listeners: [
              { name: 'web', port: 8000, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
              {
                name: 'websecure',
                port: 8443,
                protocol: 'HTTPS',
                tls: { certificateRefs: [{ name: 'wildcard-tls' }] },
                allowedRoutes: { namespaces: { from: 'All' } },
              },
            ],
          },
        });
        new AppStack(app, 'blog', { ...BLOG, expose: 'gateway', gateway: { name: 'public', namespace: 'gateway' } });
      }),
    ).toThrow(
      /blog: HTTPRoute\/blog spec\.hostnames\[0\] "blog\.example\.com" is served with the certificate in Secret gateway\/wildcard-tls, which Certificate gateway\/other issues for \*\.lab\.example\.com only/,
    );
  });

  it('fails on a route that names a resolver and a Secret', () => {
    expect(() =>
      synth((app) => {
        const stack = new AppStack(app, 'blog', BLOG);
        stack.route?.websecure.addJsonPatch(JsonPatch.add('/spec/tls/secretName', 'blog-tls'));
      }),
    ).toThrow(/blog: IngressRoute\/blog-websecure spec\.tls\.certResolver "letsencrypt" is a second source of the certificate, besides the Secret blog-tls/);
  });
});
