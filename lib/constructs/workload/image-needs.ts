import { parseImage } from '../../core/value-rules';

/** The well-known images whose needs under Pod Security `restricted` we know. */
export type WellKnownImage = 'nginx' | 'nginx-unprivileged' | 'httpd' | 'caddy' | 'grafana' | 'redis' | 'postgres' | 'mariadb';

/** What an image needs to start as a non-root user on a read-only root filesystem. */
export interface ImageNeeds {
  /** The paths it writes to (each becomes an emptyDir). */
  readonly writablePaths: readonly string[];
  /**
   * The user (and group) its files belong to, when it must run as that one.
   * @default - any non-root user (10001)
   */
  readonly user?: number;
}

/** A well-known image: where it is published, and what it needs. */
export interface KnownImage extends ImageNeeds {
  /** The Docker Hub repositories it is published as, e.g. `nginx` and `library/nginx`. */
  readonly repositories: readonly string[];
}

/** The needs of each well-known image, and the repositories it is published as. */
export const WELL_KNOWN_IMAGES: Readonly<Record<WellKnownImage, KnownImage>> = {
  // The master process writes its pid to /run (/var/run is a link to it) and its temp files to /var/cache/nginx.
  nginx: { repositories: ['nginx', 'library/nginx'], writablePaths: ['/var/cache/nginx', '/run'], user: 101 },
  'nginx-unprivileged': { repositories: ['nginxinc/nginx-unprivileged'], writablePaths: ['/var/cache/nginx'], user: 101 },
  // httpd writes its pid and logs under logs/.
  httpd: { repositories: ['httpd', 'library/httpd'], writablePaths: ['/usr/local/apache2/logs'] },
  caddy: { repositories: ['caddy', 'library/caddy'], writablePaths: ['/data', '/config'] },
  grafana: { repositories: ['grafana/grafana', 'grafana/grafana-oss'], writablePaths: ['/var/lib/grafana'], user: 472 },
  redis: { repositories: ['redis', 'library/redis'], writablePaths: ['/data'], user: 999 },
  postgres: { repositories: ['postgres', 'library/postgres'], writablePaths: ['/var/run/postgresql', '/var/lib/postgresql/data'], user: 999 },
  mariadb: { repositories: ['mariadb', 'library/mariadb'], writablePaths: ['/var/lib/mysql', '/run/mysqld'], user: 999 },
};

/** Every well-known image name. */
export const WELL_KNOWN_IMAGE_NAMES: readonly WellKnownImage[] = Object.keys(WELL_KNOWN_IMAGES) as WellKnownImage[];

/** The well-known image a reference names (on Docker Hub), if any. */
export function wellKnownImage(image: string): WellKnownImage | undefined {
  const ref = parseImage(image);
  if (ref === undefined || (ref.registry !== undefined && ref.registry !== 'docker.io' && ref.registry !== 'index.docker.io')) {
    return undefined;
  }
  return WELL_KNOWN_IMAGE_NAMES.find((name) => WELL_KNOWN_IMAGES[name].repositories.includes(ref.repository));
}

/** The settings of a PodSecurity that {@link withImageNeeds} reads. */
interface SecuritySettings {
  readonly profile?: string;
  readonly like?: WellKnownImage;
  readonly writablePaths?: string[];
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
}

/**
 * The security settings with what the image needs to start under
 * `restricted` (its writable paths, its user), for a well-known image or one
 * built FROM it (`security.like`), unless the settings already say how it
 * runs (`writablePaths` or `runAsUser`), or it runs under another profile.
 * Paths the workload mounts a volume at are left to that volume.
 */
export function withImageNeeds<S extends SecuritySettings>(security: S | undefined, image: string, mountPaths: readonly string[] = []): S | undefined {
  const like = security?.like ?? wellKnownImage(image);
  const configured = security?.writablePaths !== undefined || security?.runAsUser !== undefined;
  if (like === undefined || configured || (security?.profile ?? 'restricted') !== 'restricted' || WELL_KNOWN_IMAGES[like] === undefined) {
    return security;
  }
  const needs = WELL_KNOWN_IMAGES[like];
  const writablePaths = needs.writablePaths.filter((p) => !mountPaths.some((m) => m === p || p.startsWith(`${m}/`)));
  const user =
    needs.user === undefined ? {} : { runAsUser: needs.user, runAsGroup: security?.runAsGroup ?? needs.user, fsGroup: security?.fsGroup ?? needs.user };
  return { ...security, writablePaths, ...user } as S;
}
