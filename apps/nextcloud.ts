import type { Construct } from 'constructs';
import { AppStack, type Environment, ExternalSecret, Probe, Schedule } from '../lib';

const REASON = 'the official image starts as root to set up its folders, then serves as www-data';

/**
 * Nextcloud: a persistent volume, its own PostgreSQL and Redis, PHP settings
 * from config, and the background jobs every five minutes.
 */
export function nextcloud(scope: Construct, env: Environment): AppStack {
  const app = new AppStack(scope, 'nextcloud', {
    image: env.image('nextcloud', 'nextcloud:30.0.4-apache'),
    host: env.host('cloud'),
    port: 80,
    security: { profile: 'baseline', reason: REASON },
    volumes: [{ name: 'data', mountPath: '/var/www/html', size: '50Gi' }],
    postgres: { database: 'nextcloud', user: 'nextcloud', secretName: 'nextcloud-db' },
    redis: { secretName: 'nextcloud-redis', connection: { names: { port: 'REDIS_HOST_PORT', password: 'REDIS_HOST_PASSWORD' } } },
    config: [{ name: 'php', data: { PHP_MEMORY_LIMIT: '512M', PHP_UPLOAD_LIMIT: '2G' }, asEnv: true }],
    env: { NEXTCLOUD_TRUSTED_DOMAINS: env.host('cloud'), OVERWRITEPROTOCOL: 'https', TRUSTED_PROXIES: '10.42.0.0/16', NEXTCLOUD_ADMIN_USER: 'admin' },
    secretEnv: { NEXTCLOUD_ADMIN_PASSWORD: { secret: 'nextcloud-admin', key: 'password' } },
    resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
    startup: Probe.http('/status.php', { failureThreshold: 30 }),
    readiness: Probe.http('/status.php'),
    cronJobs: [
      {
        name: 'cron',
        schedule: Schedule.everyMinutes(5),
        command: ['php', '-f', '/var/www/html/cron.php'],
        security: { profile: 'baseline', reason: REASON, runAsUser: 33, runAsGroup: 33 },
      },
    ],
  });
  // The database password comes from Vault (apps/secret-store.ts); the Redis and admin passwords are made by hand (apps/cluster.ts).
  new ExternalSecret(app, 'Db', { name: 'nextcloud-db', namespace: 'nextcloud', store: { name: 'vault' }, data: { password: 'nextcloud/db' } });
  return app;
}
