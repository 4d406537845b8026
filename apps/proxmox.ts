import type { Construct } from 'constructs';
import { type Authentik, type Environment, ExternalApp } from '../lib';

/**
 * The Proxmox VE web UI, outside the cluster, served at a host of the
 * cluster: from the VPN only, behind single sign-on, Traefik talking HTTPS to
 * its self-signed certificate.
 */
export function proxmox(scope: Construct, env: Environment, sso: Authentik): ExternalApp {
  return new ExternalApp(scope, 'proxmox', {
    address: '192.168.1.5',
    port: 8006,
    host: env.host('pve'),
    backendTls: { insecureSkipVerify: { reason: 'Proxmox VE serves a self-signed certificate by default' } },
    ipAllowList: ['vpn'],
    sso,
  });
}
