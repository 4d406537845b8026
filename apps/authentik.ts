import type { Construct } from 'constructs';
import { Authentik, type Environment, SealedSecret } from '../lib';

/** Single sign-on for the admin apps; its secret key and database passwords are sealed in Git. */
export function authentik(scope: Construct, env: Environment): Authentik {
  const sso = new Authentik(scope, 'authentik', {
    // renovate: datasource=helm depName=authentik registryUrl=https://charts.goauthentik.io
    version: '2025.10.1',
    host: env.host('auth'),
  });
  new SealedSecret(sso, 'Secrets', { name: 'authentik-secrets', namespace: 'authentik', file: 'secrets/authentik/authentik-secrets.yaml' });
  new SealedSecret(sso, 'Postgresql', { name: 'authentik-postgresql', namespace: 'authentik', file: 'secrets/authentik/authentik-postgresql.yaml' });
  return sso;
}
