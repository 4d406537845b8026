import type { Construct } from 'constructs';
import { GitOpsSync } from '../lib';

/**
 * Flux follows this repository: each environment's cluster syncs its own
 * folder (dist/prod, dist/staging), prunes what leaves Git, and keeps every
 * app's Namespace and volumes unless the app is listed in pruneDataOf.
 */
export function gitops(scope: Construct): GitOpsSync {
  return new GitOpsSync(scope, 'gitops', {
    tool: 'flux',
    repository: { url: 'https://github.com/julesfrn/homelab' },
    pruneDataOf: ['whoami'],
  });
}
