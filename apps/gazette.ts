import type { Construct } from 'constructs';
import { AppStack, type Environment } from '../lib';

/** The blog: a private image, served under the domain's certificate. */
export function gazette(scope: Construct, env: Environment): AppStack {
  return new AppStack(scope, 'gazette', {
    image: env.image('gazette', 'ghcr.io/julesfrn/gazette:1.4.2'),
    host: env.host('gazette'),
    port: 80,
    replicas: env.replicas,
    imagePullSecrets: ['regcred'],
    secretEnv: { GAZETTE_SECRET_KEY: { secret: 'gazette-secrets', key: 'secret-key' } },
    tlsDomains: [{ main: env.domain, sans: [env.host('gazette')] }],
  });
}
