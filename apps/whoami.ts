import type { Construct } from 'constructs';
import { AppStack, type Environment } from '../lib';

/** Traefik's echo server, on two hosts: a quick check that routing and TLS work. */
export function whoami(scope: Construct, env: Environment): AppStack {
  return new AppStack(scope, 'whoami', {
    image: env.image('whoami', 'traefik/whoami:v1.10.3'),
    hosts: [env.host('whoami'), env.host('echo')],
    port: 8080,
    args: ['--port', '8080'],
    autoUpdate: { policy: 'patch', pollSchedule: '@every 1h' },
    resources: { memoryLimit: '64Mi', memoryRequest: '16Mi', cpuRequest: '10m' },
  });
}
