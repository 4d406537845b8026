import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { BackendTls, ExternalService, HttpsRedirect, HttpsRoute, SecurityHeaders } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

describe('ExternalService', () => {
  it('puts a service outside the cluster behind a Service that routes reach: by IP, an EndpointSlice; by name, ExternalName', () => {
    const app = newApp();
    const c = new Chart(app, 'pve');
    const pve = new ExternalService(c, 'Pve', { name: 'pve', namespace: 'pve', address: '192.168.1.5', port: 8006 });
    new ExternalService(c, 'Nas', { name: 'nas', namespace: 'pve', address: 'nas.lan', port: 5000 });
    const redirect = new HttpsRedirect(c, 'Redirect', { namespace: 'pve' });
    const headers = new SecurityHeaders(c, 'Headers', { namespace: 'pve' });
    new HttpsRoute(c, 'Route', {
      name: 'pve',
      namespace: 'pve',
      hosts: ['pve.example.com'],
      serviceName: pve.name,
      servicePort: pve.port,
      redirectMiddleware: { name: redirect.name },
      middlewares: [{ name: headers.name }],
    });
    const all = manifests(app);
    expect(find(all, 'Service', 'pve').spec).toEqual({ ports: [{ name: 'https', protocol: 'TCP', port: 8006, targetPort: 8006 }] });
    expect(find(all, 'EndpointSlice', 'pve')).toMatchObject({
      metadata: { labels: { 'kubernetes.io/service-name': 'pve' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.168.1.5'] }],
      ports: [{ name: 'https', protocol: 'TCP', port: 8006 }],
    });
    expect(find(all, 'Service', 'nas').spec).toMatchObject({ type: 'ExternalName', externalName: 'nas.lan' });
  });

  it('fails on an address that is neither an IP nor a host name, and a bad port', () => {
    expect(() => new ExternalService(new Chart(newApp(), 'pve'), 'Pve', { name: 'pve', namespace: 'pve', address: 'pve_1', port: 0 })).toThrow(
      /props\.address "pve_1" is not an IP address nor a host name[\s\S]*props\.port 0 must be an integer/,
    );
  });
});

describe('BackendTls: HTTPS to a backend that serves it itself', () => {
  const route = (app: ReturnType<typeof newApp>, tls: ConstructorParameters<typeof BackendTls>[2]) => {
    const c = new Chart(app, 'pve');
    new ExternalService(c, 'Pve', { name: 'pve', namespace: 'pve', address: '192.168.1.5', port: 8006 });
    const transport = new BackendTls(c, 'Tls', tls);
    new HttpsRoute(c, 'Route', {
      name: 'pve',
      namespace: 'pve',
      hosts: ['pve.example.com'],
      serviceName: 'pve',
      servicePort: 8006,
      redirectMiddleware: { name: new HttpsRedirect(c, 'Redirect', { namespace: 'pve' }).name },
      middlewares: [{ name: new SecurityHeaders(c, 'Headers', { namespace: 'pve' }).name }],
      backendTls: transport.name,
    });
  };

  it('routes to the backend over HTTPS, trusting its CA, or skipping verification with a reason that synth prints', () => {
    const app = newApp({ handMadeSecrets: ['pve/pve-ca'] });
    route(app, { name: 'pve', namespace: 'pve', caSecret: 'pve-ca', serverName: 'pve.lan' });
    const all = manifests(app);
    expect(at(find(all, 'IngressRoute', 'pve-websecure'), 'spec', 'routes', 0, 'services', 0)).toEqual({
      kind: 'Service',
      name: 'pve',
      namespace: 'pve',
      port: 8006,
      scheme: 'https',
      serversTransport: 'pve',
    });
    expect(find(all, 'ServersTransport', 'pve').spec).toEqual({ serverName: 'pve.lan', rootCAs: [{ secret: 'pve-ca' }] });
    const insecure = newApp();
    route(insecure, { name: 'pve', namespace: 'pve', insecureSkipVerify: { reason: 'Proxmox serves a self-signed certificate' } });
    expect(find(manifests(insecure), 'ServersTransport', 'pve').spec).toEqual({ insecureSkipVerify: true });
    expect(insecure.warnings.map((w) => w.warning)).toContain('HL-insecure-backend');
  });

  it('fails without a way to trust the backend, with both, or with an empty reason', () => {
    expect(() => route(newApp(), { name: 'pve', namespace: 'pve' })).toThrow(/props\.caSecret is required, or insecureSkipVerify with its reason/);
    expect(() => route(newApp(), untyped({ name: 'pve', namespace: 'pve', caSecret: 'ca', insecureSkipVerify: { reason: ' ' } }))).toThrow(
      /props\.caSecret "ca" cannot be combined with insecureSkipVerify[\s\S]*props\.insecureSkipVerify\.reason " " is required/,
    );
  });
});
