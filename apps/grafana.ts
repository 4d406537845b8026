import type { Construct } from 'constructs';
import { AppStack, type Authentik, type Environment, Probe } from '../lib';

/** Dashboards: an admin app, reachable only from the VPN, behind single sign-on. */
export function grafana(scope: Construct, env: Environment, sso: Authentik): AppStack {
  return new AppStack(scope, 'grafana', {
    image: env.image('grafana', 'grafana/grafana:11.3.1'),
    host: env.host('grafana'),
    port: 3000,
    readiness: Probe.http('/api/health'),
    resources: { memoryRequest: '128Mi', memoryLimit: '512Mi' },
    env: { GF_AUTH_PROXY_ENABLED: 'true', GF_AUTH_PROXY_HEADER_NAME: 'X-authentik-username' },
    ipAllowList: ['vpn'],
    sso,
  });
}
