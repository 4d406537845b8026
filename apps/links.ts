import { Construct } from 'constructs';
import { AppStack, Probe } from '../lib';

/**
 * A static links page served by nginx. Stock nginx runs as root, so it uses
 * the unprivileged variant, which writes only to its cache and run folders.
 */
export function links(scope: Construct): AppStack {
  return new AppStack(scope, 'links', {
    image: 'nginxinc/nginx-unprivileged:1.27.3-alpine',
    host: 'links.julesfournier.fr',
    port: 8080,
    readiness: Probe.http('/'),
    security: { runAsUser: 101, runAsGroup: 101, fsGroup: 101, writablePaths: ['/var/cache/nginx'] },
    resources: { memoryRequest: '16Mi', memoryLimit: '64Mi', cpuRequest: '10m' },
  });
}
