import type { Construct } from 'constructs';
import { AppStack, type Environment, SharedNamespace } from '../lib';

/**
 * The media namespace, shared by Jellyfin and Jellyseerr (requests): one
 * Namespace, its policies and middlewares, each app its own workload,
 * Service, routes and allow rules. Jellyseerr reads Jellyfin's API, and
 * Jellyfin transcodes on the node's Intel GPU through its device plugin.
 */
export function media(scope: Construct, env: Environment): SharedNamespace {
  const ns = new SharedNamespace(scope, 'media');
  const jellyseerr = new AppStack(ns, 'jellyseerr', {
    image: env.image('jellyseerr', 'fallenbagel/jellyseerr:2.7.3'),
    host: env.host('requests'),
    port: 5055,
    volumes: [{ name: 'config', mountPath: '/app/config', size: '1Gi' }],
  });
  new AppStack(ns, 'jellyfin', {
    image: env.image('jellyfin', 'jellyfin/jellyfin:10.10.7'),
    host: env.host('jellyfin'),
    port: 8096,
    volumes: [
      { name: 'config', mountPath: '/config', size: '5Gi' },
      { name: 'media', mountPath: '/media', size: '500Gi' },
    ],
    security: { writablePaths: ['/cache'] },
    resources: { memoryRequest: '512Mi', memoryLimit: '2Gi', devices: { 'gpu.intel.com/i915': 1 } },
    allowFrom: [jellyseerr],
  });
  return ns;
}
