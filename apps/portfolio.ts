import { Construct } from 'constructs';
import { AppStack, Probe } from '../lib';

/** The portfolio site at the apex domain, on the Raspberry Pi nodes. */
export function portfolio(scope: Construct): AppStack {
  return new AppStack(scope, 'portfolio', {
    image: 'ghcr.io/julesfrn/portfolio:3.2.0',
    host: 'julesfournier.fr',
    port: 8080,
    arch: 'arm64',
    readiness: Probe.http('/'),
    autoUpdate: { policy: 'minor' },
  });
}
