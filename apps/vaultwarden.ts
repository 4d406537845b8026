import type { Construct } from 'constructs';
import { AppStack, type Environment, Volume } from '../lib';

/**
 * Passwords (Vaultwarden, SQLite on a volume), with a Litestream sidecar that
 * streams the database to S3-compatible storage as it changes. The sidecar
 * mounts the data volume and reads its credentials from a Secret made by hand.
 */
export function vaultwarden(scope: Construct, env: Environment): AppStack {
  return new AppStack(scope, 'vaultwarden', {
    image: env.image('vaultwarden', 'vaultwarden/server:1.34.1'),
    host: env.host('vault'),
    port: 8080,
    env: { ROCKET_PORT: '8080', SIGNUPS_ALLOWED: 'false' },
    volumes: [{ name: 'data', mountPath: '/data', size: '2Gi' }],
    sidecars: [
      {
        name: 'litestream',
        image: 'litestream/litestream:0.3.13',
        args: ['replicate', '/data/db.sqlite3', 's3://homelab-backups/vaultwarden'],
        secretEnv: {
          LITESTREAM_ACCESS_KEY_ID: { secret: 'vaultwarden-litestream', key: 'access-key-id' },
          LITESTREAM_SECRET_ACCESS_KEY: { secret: 'vaultwarden-litestream', key: 'secret-access-key' },
        },
        mounts: [{ volume: Volume.pvc('data', 'vaultwarden-data'), mountPath: '/data' }],
      },
    ],
  });
}
