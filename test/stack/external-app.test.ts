import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Authentik, ExternalApp, type ExternalAppProps, type HomelabError, type Manifest, TraefikConfig } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

const PROXMOX: ExternalAppProps = {
  address: '192.168.1.5',
  port: 8006,
  host: 'pve.example.com',
  backendTls: { insecureSkipVerify: { reason: 'Proxmox serves a self-signed certificate' } },
  ipAllowList: ['vpn'],
};

function cluster(props: Partial<ExternalAppProps>, withSso = true): { all: Manifest[]; warnings: string[] } {
  const app = newApp({ networks: { vpn: ['10.8.0.0/24'] } });
  new TraefikConfig(new Chart(app, 'traefik'), 'Config', { acme: [{ email: 'acme@example.com' }], allowCrossNamespace: true });
  const sso = withSso ? new Authentik(app, 'authentik', { version: '2025.10.1', host: 'auth.example.com' }) : undefined;
  new ExternalApp(app, 'proxmox', { ...PROXMOX, sso, ...props });
  return { all: manifests(app), warnings: app.warnings.map((w) => w.warning ?? '') };
}

describe('ExternalApp: a service outside the cluster behind its door', () => {
  it('serves Proxmox at a host, over HTTPS to its self-signed UI, behind the VPN allow list and Authentik', () => {
    const { all, warnings } = cluster({});
    const mine = all.filter((m) => m.metadata.namespace === 'proxmox' || (m.kind === 'Namespace' && m.metadata.name === 'proxmox'));
    expect(mine.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/proxmox',
      'NetworkPolicy/default-deny-ingress',
      'Service/proxmox',
      'EndpointSlice/proxmox',
      'ServersTransport/proxmox',
      'Middleware/security-headers',
      'Middleware/ip-allow-list',
      'Middleware/sso',
      'Middleware/https-redirect',
      'IngressRoute/proxmox-web',
      'IngressRoute/proxmox-websecure',
    ]);
    const routes = at(find(all, 'IngressRoute', 'proxmox-websecure'), 'spec', 'routes') as Record<string, unknown>[];
    expect(routes[0]).toMatchObject({
      match: 'Host(`pve.example.com`)',
      middlewares: [
        { name: 'security-headers', namespace: 'proxmox' },
        { name: 'ip-allow-list', namespace: 'proxmox' },
        { name: 'sso', namespace: 'proxmox' },
      ],
      services: [{ name: 'proxmox', port: 8006, scheme: 'https', serversTransport: 'proxmox' }],
    });
    // Sign-in callbacks go to Authentik's outpost, past the allow list but not SSO.
    expect(routes[1]).toMatchObject({
      match: 'Host(`pve.example.com`) && PathPrefix(`/outpost.goauthentik.io/`)',
      middlewares: [
        { name: 'security-headers', namespace: 'proxmox' },
        { name: 'ip-allow-list', namespace: 'proxmox' },
      ],
      services: [{ name: 'authentik-server', namespace: 'authentik', port: 80 }],
    });
    expect(at(find(all, 'Middleware', 'ip-allow-list'), 'spec', 'ipAllowList', 'sourceRange')).toEqual(['10.8.0.0/24']);
    expect(at(find(all, 'EndpointSlice', 'proxmox'), 'endpoints')).toEqual([{ addresses: ['192.168.1.5'] }]);
    expect(warnings).toContain('HL-insecure-backend');
  });

  it('talks plain HTTP to a service without backendTls', () => {
    const plain = cluster({ backendTls: undefined, ipAllowList: undefined }, false).all;
    expect(plain.filter((m) => m.kind === 'ServersTransport')).toEqual([]);
    expect(at(find(plain, 'IngressRoute', 'proxmox-websecure'), 'spec', 'routes', 0, 'services', 0, 'scheme')).toBeUndefined();
  });

  it('names each problem at once: an unknown prop, no host, an unknown network; and an id taken', () => {
    const app = newApp();
    let problems: string[] = [];
    try {
      new ExternalApp(app, 'nas', untyped({ address: '192.168.1.6', port: 5001, ipAllowList: ['lan'], tls: true }));
    } catch (e) {
      problems = (e as HomelabError).problems.map((p) => `${p.app}: ${p.field} ${p.message}`);
    }
    expect(problems).toEqual([
      'nas: props.tls is not a prop of ExternalApp',
      'nas: props.host is required',
      'nas: props.ipAllowList[0] is neither a CIDR range nor a network of the cluster',
    ]);
    new ExternalApp(app, 'printer', { address: 'printer.lan', port: 631, host: 'printer.example.com' });
    expect(() => new ExternalApp(app, 'printer', { address: 'printer.lan', port: 631, host: 'printer.example.com' })).toThrow(
      /^printer: id "printer" is already the id of another app in this App/,
    );
  });
});
