import type { Construct } from 'constructs';
import { Probe } from '../constructs/workload/probe';
import type { PropNames } from '../core/prop-names';
import { DATABASE_PROPS_FIELDS, Database, type DatabaseProps } from './database';

/** Props of {@link Postgres}. */
export interface PostgresProps extends DatabaseProps {
  /** The database to create. */
  readonly database: string;
  /** The user that owns it. */
  readonly user: string;
}

/** The prop names of {@link PostgresProps}, to find unknown ones at run time. */
export const POSTGRES_PROPS_FIELDS: PropNames<PostgresProps> = { ...DATABASE_PROPS_FIELDS, database: 'string', user: 'string' };

/**
 * PostgreSQL: a StatefulSet with its own volume, a headless Service, the
 * password from a Secret you create (never written to Git), hardened like
 * every workload (non-root uid 70, read-only root).
 * @see https://hub.docker.com/_/postgres
 */
export class Postgres extends Database {
  private readonly database: string;
  private readonly user: string;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
    super(scope, id, props, {
      port: 5432,
      portName: 'postgres',
      component: 'database',
      envPrefix: 'POSTGRES_',
      defaultImage: 'postgres:16.6-alpine',
      defaultSize: '8Gi',
      dataPath: '/var/lib/postgresql/data',
      passwordEnv: 'POSTGRES_PASSWORD',
      construct: 'Postgres',
      propNames: POSTGRES_PROPS_FIELDS,
      container: {
        env: { POSTGRES_DB: props.database, POSTGRES_USER: props.user, PGDATA: '/var/lib/postgresql/data/pgdata' },
        security: { runAsUser: 70, runAsGroup: 70, fsGroup: 70, writablePaths: ['/var/run/postgresql'] },
        resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
        readiness: Probe.exec(['pg_isready', '-U', props.user, '-d', props.database]),
      },
      check: (checker) => {
        checker.check(identifier.test(props.database), 'props.database', props.database, 'is not a PostgreSQL identifier', 'use letters, digits and "_"');
        checker.check(identifier.test(props.user), 'props.user', props.user, 'is not a PostgreSQL identifier', 'use letters, digits and "_"');
      },
    });
    this.database = props.database;
    this.user = props.user;
  }

  protected connectionFields() {
    return {
      database: this.database,
      user: this.user,
      url: (password: string) => `postgresql://${this.user}:${password}@${this.host}:${this.port}/${this.database}`,
    };
  }
}
