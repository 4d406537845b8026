import { Authentik } from '../platform/authentik';
import type { ExtraRoute, MiddlewareRef } from '../traefik/https-route';
import { OUTPOST_PATH, type SsoOptions } from './app-stack-props';

/** The forwardAuth server of an app's `sso`: an Authentik of the cluster, or one given by address. */
export function ssoServerOf(sso: Authentik | SsoOptions): SsoOptions {
  return Authentik.isAuthentik(sso) ? { address: sso.forwardAuthAddress, outpostService: sso.outpostService } : sso;
}

/**
 * The sign-in callback routes of an app behind single sign-on: the outpost
 * path of each host to the SSO server, through `guard` (the headers and
 * the allow list) but not through SSO itself.
 */
export function outpostRoutes(hosts: readonly string[], server: SsoOptions, guard: readonly MiddlewareRef[]): ExtraRoute[] {
  return hosts.map((host) => ({
    match: `Host(\`${host}\`) && PathPrefix(\`${OUTPOST_PATH}\`)`,
    service: server.outpostService,
    middlewares: [...guard],
  }));
}
