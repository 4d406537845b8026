import type { Construct } from 'constructs';
import { AppStack, type Environment, Probe } from '../lib';

/**
 * A static links page served by nginx. Stock nginx runs as root, so it uses
 * the unprivileged variant, which writes only to its cache and run folders.
 */
export function links(scope: Construct, env: Environment): AppStack {
  return new AppStack(scope, 'links', {
    image: env.image('links', 'nginxinc/nginx-unprivileged:1.27.3-alpine'),
    host: env.host('links'),
    replicas: env.replicas,
    port: 8080,
    readiness: Probe.http('/'),
    resources: { memoryRequest: '16Mi', memoryLimit: '64Mi', cpuRequest: '10m' },
  });
}
