import type { Construct } from 'constructs';
import { AppStack, type Environment, SealedSecret } from '../lib';

/** The blog: a private image (its registry login sealed in Git), served under the domain's certificate. */
export function gazette(scope: Construct, env: Environment): AppStack {
  const app = new AppStack(scope, 'gazette', {
    image: env.image('gazette', 'ghcr.io/julesfrn/gazette:1.4.2'),
    host: env.host('gazette'),
    port: 80,
    // Built FROM nginx:alpine: it gets nginx's writable paths and user, so it starts as non-root.
    security: { like: 'nginx' },
    replicas: env.replicas,
    imagePullSecrets: ['regcred'],
    secretEnv: { GAZETTE_SECRET_KEY: { secret: 'gazette-secrets', key: 'secret-key' } },
    tlsDomains: [{ main: env.domain, sans: [env.host('gazette')] }],
  });
  // Sealed with `cdk8s-homelab seal` (the example certificate of secrets/): ciphertext only.
  new SealedSecret(app, 'Regcred', { name: 'regcred', namespace: 'gazette', file: 'secrets/gazette/regcred.yaml' });
  new SealedSecret(app, 'Secrets', { name: 'gazette-secrets', namespace: 'gazette', file: 'secrets/gazette/gazette-secrets.yaml' });
  return app;
}
