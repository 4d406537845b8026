import { Construct } from 'constructs';
import { authentik } from './authentik';
import { gazette } from './gazette';
import { grafana } from './grafana';
import { keel } from './keel';
import { links } from './links';
import { portfolio } from './portfolio';
import { traefik } from './traefik';
import { whoami } from './whoami';

export { CLUSTER } from './cluster';

/** Every app of the example cluster, platform first. */
export function addApps(scope: Construct): void {
  traefik(scope);
  keel(scope);
  const sso = authentik(scope);
  gazette(scope);
  grafana(scope, sso);
  links(scope);
  portfolio(scope);
  whoami(scope);
}
