import type { HomelabAppProps } from '../lib';

/** Settings of the whole cluster: the networks apps may be restricted to, and the Secrets made by hand. */
export const CLUSTER: HomelabAppProps = {
  networks: {
    vpn: ['10.8.0.0/24'],
    lan: ['192.168.1.0/24'],
  },
  // Created with kubectl (README, "Secrets"), never in Git.
  handMadeSecrets: ['nextcloud/nextcloud-redis', 'nextcloud/nextcloud-admin', 'vaultwarden/vaultwarden-litestream'],
};
