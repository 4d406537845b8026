import type { Construct } from 'constructs';
import { Authentik, type Environment } from '../lib';

/** Single sign-on for the admin apps; its secrets are created with kubectl (README). */
export function authentik(scope: Construct, env: Environment): Authentik {
  return new Authentik(scope, 'authentik', {
    version: '2025.10.1',
    host: env.host('auth'),
  });
}
