import { Construct } from 'constructs';
import { AppStack } from '../lib';

/** Traefik's echo server, on two hosts: a quick check that routing and TLS work. */
export function whoami(scope: Construct): AppStack {
  return new AppStack(scope, 'whoami', {
    image: 'traefik/whoami:v1.10.3',
    hosts: ['whoami.julesfournier.fr', 'echo.julesfournier.fr'],
    port: 8080,
    args: ['--port', '8080'],
    autoUpdate: { policy: 'patch', pollSchedule: '@every 1h' },
    resources: { memoryLimit: '64Mi', memoryRequest: '16Mi', cpuRequest: '10m' },
  });
}
