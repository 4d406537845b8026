import { Construct } from 'constructs';
import { AppNetworkPolicy } from './app-network-policy';
import { AppService } from './app-service';
import { AppStatefulSet } from './app-stateful-set';
import { isEnvName } from './checks';
import { HomelabError, Problem, problemAt } from './errors';
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels';
import { SecretKeyRef } from './workload';

/** The environment variable names an app reads a database's connection from. */
export interface ConnectionNames {
  /** @default '<prefix>HOST' */
  readonly host?: string;
  /** @default '<prefix>PORT' */
  readonly port?: string;
  /** @default '<prefix>DB' (databases with several databases) */
  readonly database?: string;
  /** @default '<prefix>USER' (databases with users) */
  readonly user?: string;
  /** @default '<prefix>PASSWORD' */
  readonly password?: string;
  /** @default '<prefix>URL' */
  readonly url?: string;
}

/** How an app reads a database's connection. */
export interface ConnectionOptions {
  /**
   * The prefix of every variable name.
   * @default - the database's own, e.g. 'POSTGRES_' or 'REDIS_'
   */
  readonly prefix?: string;
  /**
   * Names that replace the prefixed ones, e.g. `{ port: 'REDIS_HOST_PORT' }`.
   * @default - the prefixed names
   */
  readonly names?: ConnectionNames;
}

/** The environment of an app that uses a database. */
export interface DatabaseConnection {
  /** Plain variables (host, port, database, user, URL with `$(password)`). */
  readonly env: Record<string, string>;
  /** The password, from the database's Secret. */
  readonly secretEnv: Record<string, SecretKeyRef>;
}

/** What the pods of an app that may reach a database look like. */
export interface DatabaseClient {
  /** The app's name. */
  readonly name: string;
  /** The app's namespace. */
  readonly namespace: string;
  /** The labels of the app's pods. */
  readonly selector: Record<string, string>;
}

/**
 * A database run by the cluster (StatefulSet, headless Service, a volume per
 * pod, credentials from a Secret named by the user). Its namespace's
 * default-deny policy keeps everyone out but the apps it lets in.
 */
export abstract class Database extends Construct {
  /** The database's name (StatefulSet, Service). */
  public abstract readonly name: string;
  /** Its namespace. */
  public abstract readonly namespace: string;
  /** Its port. */
  public abstract readonly port: number;
  /** The Secret and key holding its password. */
  public abstract readonly password: SecretKeyRef;
  /** The labels of its pods. */
  public abstract readonly selector: Record<string, string>;
  /** The StatefulSet. */
  public abstract readonly statefulSet: AppStatefulSet;
  /** The headless Service. */
  public abstract readonly service: AppService;
  /** The prefix of the connection variables. */
  protected abstract readonly envPrefix: string;
  private readonly clients = new Set<string>();

  /** The host name apps connect to. */
  public get host(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** The environment an app needs to connect, password from the Secret. */
  public connection(options: ConnectionOptions = {}): DatabaseConnection {
    const prefix = options.prefix ?? this.envPrefix;
    const n = (key: keyof ConnectionNames) => options.names?.[key] ?? `${prefix}${key === 'database' ? 'DB' : key.toUpperCase()}`;
    const fields = this.connectionFields();
    const env: Record<string, string> = { [n('host')]: this.host, [n('port')]: String(this.port) };
    if (fields.database !== undefined) {
      env[n('database')] = fields.database;
    }
    if (fields.user !== undefined) {
      env[n('user')] = fields.user;
    }
    env[n('url')] = fields.url(`$(${n('password')})`);
    const problems: Problem[] = [];
    for (const name of [...Object.keys(env), n('password')]) {
      if (!isEnvName(name)) {
        problems.push(problemAt(this, 'connection names', name, 'is not a valid environment variable name'));
      }
    }
    if (problems.length > 0) {
      throw new HomelabError(problems);
    }
    return { env, secretEnv: { [n('password')]: this.password } };
  }

  /** Lets an app's pods reach the database's port (a NetworkPolicy in the database's namespace). */
  public allowFrom(client: DatabaseClient): void {
    if (this.clients.has(`${client.namespace}/${client.name}`)) {
      return;
    }
    this.clients.add(`${client.namespace}/${client.name}`);
    new AppNetworkPolicy(this, `AllowFrom-${client.namespace}-${client.name}`, {
      namespace: this.namespace,
      podSelector: this.selector,
      port: this.port,
      denyAll: false,
      ingressController: false,
      allowFrom: [{ namespace: client.namespace, podSelector: client.selector, name: `${client.name}-to-${this.name}` }],
      labels: { ...this.selector, [MANAGED_BY_LABEL]: MANAGED_BY },
    });
  }

  /** The database and user of the connection, and its URL given the password placeholder. */
  protected abstract connectionFields(): { readonly database?: string; readonly user?: string; url(password: string): string };
}
