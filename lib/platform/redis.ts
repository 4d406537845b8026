import type { Construct } from 'constructs';
import { Probe } from '../constructs/workload/probe';
import { DATABASE_PROPS_FIELDS, Database, type DatabaseProps } from './database';

/** Props of {@link Redis}: a password from `secretName`, an append-only file on the data volume. */
export type RedisProps = DatabaseProps;

/**
 * Redis with a password and an append-only file on its own volume: a
 * StatefulSet, a headless Service, hardened like every workload.
 * @see https://hub.docker.com/_/redis
 */
export class Redis extends Database {
  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id, props, {
      port: 6379,
      portName: 'redis',
      component: 'cache',
      envPrefix: 'REDIS_',
      defaultImage: 'redis:7.4.1-alpine',
      defaultSize: '1Gi',
      dataPath: '/data',
      passwordEnv: 'REDIS_PASSWORD',
      construct: 'Redis',
      propNames: DATABASE_PROPS_FIELDS,
      container: {
        args: ['--appendonly', 'yes', '--requirepass', '$(REDIS_PASSWORD)'],
        security: { runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
        resources: { memoryLimit: '256Mi' },
        readiness: Probe.tcp(),
      },
    });
  }

  protected connectionFields() {
    return { url: (password: string) => `redis://:${password}@${this.host}:${this.port}` };
  }
}
