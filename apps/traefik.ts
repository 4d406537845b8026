import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { type Environment, TraefikConfig } from '../lib';

/** K3s's Traefik: the letsencrypt resolver every route uses, and cross-namespace routes for the SSO outpost. */
export function traefik(scope: Construct, env: Environment): Chart {
  const chart = new Chart(scope, 'traefik', { disableResourceNameHashes: true });
  new TraefikConfig(chart, 'Config', {
    acme: [{ name: 'letsencrypt', email: 'acme@julesfournier.fr', challenge: 'http', staging: env.acmeStaging }],
    allowCrossNamespace: true,
  });
  return chart;
}
