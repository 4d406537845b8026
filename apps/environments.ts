import { Environment } from '../lib';

/**
 * The environments the cluster is built for, each into dist/<name>/: a
 * staging cluster on a subdomain with Let's Encrypt's staging CA and release
 * candidates, and production.
 */
export const ENVIRONMENTS: readonly Environment[] = [
  new Environment({
    name: 'staging',
    domain: 'staging.julesfournier.fr',
    acmeStaging: true,
    imageTags: {
      // renovate: datasource=docker depName=ghcr.io/julesfrn/gazette
      gazette: '1.5.0-rc.1',
    },
  }),
  new Environment({ name: 'prod', domain: 'julesfournier.fr', replicas: 2 }),
];
