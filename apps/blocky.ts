import type { Construct } from 'constructs';
import { AppStack, type Environment, Probe } from '../lib';

/**
 * The LAN's DNS with ad blocking (a Pi-hole-like resolver): DNS on 53/TCP
 * and 53/UDP on a LoadBalancer Service of its own (clients ask it directly,
 * not through Traefik), its API and dashboard over HTTPS from the VPN.
 */
export function blocky(scope: Construct, env: Environment): AppStack {
  return new AppStack(scope, 'blocky', {
    image: env.image('blocky', 'ghcr.io/0xerr0r/blocky:v0.26.2'),
    host: env.host('dns'),
    port: 4000,
    ports: [
      { name: 'dns-tcp', port: 53, expose: 'loadBalancer' },
      { name: 'dns-udp', port: 53, protocol: 'UDP', expose: 'loadBalancer' },
    ],
    readiness: Probe.http('/api/blocking/status'),
    env: { BLOCKY_CONFIG_FILE: '/etc/blocky/config.yml' },
    config: [
      {
        name: 'config',
        mountPath: '/etc/blocky',
        data: {
          'config.yml': [
            'upstreams:',
            '  groups:',
            '    default: [https://one.one.one.one/dns-query, https://dns.quad9.net/dns-query]',
            'blocking:',
            '  denylists:',
            '    ads: [https://big.oisd.nl/domainswild]',
            '  clientGroupsBlock:',
            '    default: [ads]',
            'ports:',
            '  dns: 53',
            '  http: 4000',
            '',
          ].join('\n'),
        },
      },
    ],
    ipAllowList: ['vpn', 'lan'],
  });
}
