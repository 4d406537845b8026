import type { Construct } from 'constructs';
import type { Environment } from '../lib';
import { authentik } from './authentik';
import { blocky } from './blocky';
import { gazette } from './gazette';
import { gitops } from './gitops';
import { grafana } from './grafana';
import { keel } from './keel';
import { links } from './links';
import { media } from './media';
import { nextcloud } from './nextcloud';
import { nodeExporter } from './node-exporter';
import { portfolio } from './portfolio';
import { proxmox } from './proxmox';
import { secretStore } from './secret-store';
import { traefik } from './traefik';
import { vaultwarden } from './vaultwarden';
import { whoami } from './whoami';

export { CLUSTER } from './cluster';
export { ENVIRONMENTS } from './environments';

/** Every app of the example cluster, platform first, as built for `env`. */
export function addApps(scope: Construct, env: Environment): void {
  gitops(scope);
  traefik(scope, env);
  keel(scope);
  secretStore(scope);
  nodeExporter(scope);
  const sso = authentik(scope, env);
  blocky(scope, env);
  gazette(scope, env);
  grafana(scope, env, sso);
  links(scope, env);
  media(scope, env);
  nextcloud(scope, env);
  portfolio(scope, env);
  proxmox(scope, env, sso);
  vaultwarden(scope, env);
  whoami(scope, env);
}
