import { Construct } from 'constructs';
import { AppStack } from '../lib';

/** The blog: a private image, served under the julesfournier.fr certificate. */
export function gazette(scope: Construct): AppStack {
  return new AppStack(scope, 'gazette', {
    image: 'ghcr.io/julesfrn/gazette:1.4.2',
    host: 'gazette.julesfournier.fr',
    port: 80,
    imagePullSecrets: ['regcred'],
    secretEnv: { GAZETTE_SECRET_KEY: { secret: 'gazette-secrets', key: 'secret-key' } },
    tlsDomains: [{ main: 'julesfournier.fr', sans: ['gazette.julesfournier.fr'] }],
  });
}
