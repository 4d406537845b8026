import { Construct } from 'constructs';
import { Authentik } from '../lib';

/** Single sign-on for the admin apps; its secrets are created with kubectl (README). */
export function authentik(scope: Construct): Authentik {
  return new Authentik(scope, 'authentik', {
    version: '2025.10.1',
    host: 'auth.julesfournier.fr',
  });
}
