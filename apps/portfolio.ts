import type { Construct } from 'constructs';
import { AppStack, type Environment, Probe } from '../lib';

/** The portfolio site at the apex domain, on the Raspberry Pi nodes, kept up to date by Keel. */
export function portfolio(scope: Construct, env: Environment): AppStack {
  return new AppStack(scope, 'portfolio', {
    image: env.image('portfolio', 'ghcr.io/julesfrn/portfolio:3.2.0'),
    host: env.host(),
    port: 8080,
    replicas: env.replicas,
    arch: 'arm64',
    readiness: Probe.http('/'),
    autoUpdate: { policy: 'minor' },
  });
}
