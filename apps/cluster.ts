import type { HomelabAppProps } from '../lib';

/**
 * Settings of the whole cluster: the networks apps may be restricted to, the
 * Secrets made by hand, and the output's layout: each environment an ApplySet
 * (Namespaces and volumes apart in kept/, never pruned), its platform
 * (charts, Traefik, GitOps) applied before its apps.
 */
export const CLUSTER: HomelabAppProps = {
  networks: {
    vpn: ['10.8.0.0/24'],
    lan: ['192.168.1.0/24'],
  },
  // Created with kubectl (README, "Secrets"), never in Git.
  handMadeSecrets: ['nextcloud/nextcloud-redis', 'nextcloud/nextcloud-admin', 'vaultwarden/vaultwarden-litestream'],
  applySet: {},
  platformFirst: true,
};
