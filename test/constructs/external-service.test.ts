import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ExternalService, HttpsRedirect, HttpsRoute, SecurityHeaders } from '../../lib';
import { find, manifests, newApp } from '../helpers';

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
