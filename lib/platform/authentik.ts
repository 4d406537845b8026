import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppCertificate, CERT_MANAGER_ISSUER_FIELDS, type CertManagerIssuer, checkCertManagerIssuer } from '../constructs/app-certificate';
import { AppIngress } from '../constructs/app-ingress';
import { AppNamespace } from '../constructs/app-namespace';
import { hasBrand, setBrand } from '../core/brand';
import { type ClusterProfile, clusterProfileOf } from '../core/cluster-profile';
import { type HelmValue, type MergedHelmValues, mergeHelmValues } from '../core/json';
import { recommendedLabels } from '../core/labels';
import { warnAt } from '../core/problems';
import { freeScope, PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isQuantity } from '../core/value-rules';
import { HttpsRedirect } from '../traefik/https-redirect';
import { HttpsRoute, type ServiceRef, TLS_DOMAIN_FIELDS, type TlsDomain, tlsDomainNames } from '../traefik/https-route';
import { SecurityHeaders } from '../traefik/security-headers';
import { HelmChartRelease } from './helm-chart-release';

/** Props of {@link Authentik}. */
export interface AuthentikProps {
  /** The exact version of the Authentik Helm chart, e.g. `2025.10.1`. */
  readonly version: string;
  /** The host of Authentik's own pages (sign-in, admin), e.g. `auth.example.com`. */
  readonly host: string;
  /**
   * The namespace Authentik runs in.
   * @default 'authentik'
   */
  readonly namespace?: string;
  /**
   * An existing Secret whose keys become Authentik's environment: it must
   * hold `AUTHENTIK_SECRET_KEY` and `AUTHENTIK_POSTGRESQL__PASSWORD`.
   * @default 'authentik-secrets'
   */
  readonly secretName?: string;
  /**
   * An existing Secret with the PostgreSQL passwords (keys `password` and
   * `postgres-password`; `password` equal to AUTHENTIK_POSTGRESQL__PASSWORD).
   * @default 'authentik-postgresql'
   */
  readonly postgresqlSecretName?: string;
  /**
   * The storage class of the PostgreSQL and Redis volumes.
   * @default - the cluster profile's (`local-path` on K3s)
   */
  readonly storageClass?: string;
  /**
   * The size of the PostgreSQL volume.
   * @default '8Gi'
   */
  readonly postgresqlSize?: string;
  /**
   * The size of the Redis volume.
   * @default '1Gi'
   */
  readonly redisSize?: string;
  /**
   * The ACME resolver of Authentik's certificate (a Traefik route).
   * @default 'letsencrypt', unless `certManager` is given
   */
  readonly certResolver?: string;
  /**
   * A cert-manager issuer of Authentik's certificate instead of a Traefik
   * resolver. Required where the profile serves apps through standard
   * Ingresses (MicroK8s), which take their certificate from a Secret, unless
   * the profile names an issuer.
   * @default - the profile's `certManager`, else Traefik's resolver (`certResolver`)
   */
  readonly certManager?: CertManagerIssuer;
  /**
   * The certificate's domains; they must cover `host`.
   * @default - a certificate for `host`
   */
  readonly tlsDomains?: TlsDomain[];
  /**
   * More chart values, merged into ours as Helm merges values files: maps key by key at any
   * depth, lists and other values replaced whole. Replacing one of ours warns
   * (`HL-values-override`). Never secrets.
   * @default - none
   */
  readonly values?: Record<string, HelmValue>;
}

/** The prop names of {@link AuthentikProps}, to find unknown ones at run time. */
const AUTHENTIK_PROPS_FIELDS: PropNames<AuthentikProps> = {
  version: 'string',
  host: 'string',
  namespace: 'string?',
  secretName: 'string?',
  postgresqlSecretName: 'string?',
  storageClass: 'string?',
  postgresqlSize: 'string?',
  redisSize: 'string?',
  certResolver: 'string?',
  certManager: 'object?',
  tlsDomains: 'list?',
  values: 'object?',
};

/**
 * Authentik single sign-on, installed with its Helm chart the way the
 * cluster's profile installs charts (helm-controller or Flux), with
 * persistent PostgreSQL and Redis. Secrets are referenced by name, never
 * inlined. Its pages are served at `host` like any app of the profile: a
 * Traefik route (HTTPS redirect, security headers), or a standard Ingress
 * with a cert-manager certificate. Apps put it in front of themselves with
 * AppStack's `sso` prop.
 *
 * The chart's pods are not ours to harden, so the namespace enforces Pod
 * Security `baseline` (audit and warn stay `restricted`).
 * @see https://docs.goauthentik.io/install-config/install/kubernetes/
 */
export class Authentik extends Chart {
  /** Whether `x` is an Authentik, from this copy of cdk8s-homelab or another. */
  public static isAuthentik(x: unknown): x is Authentik {
    return hasBrand(x, 'Authentik');
  }

  /** The namespace Authentik runs in. */
  public readonly namespaceName: string;
  /** The Service of Authentik's server, which also serves the embedded outpost. */
  public readonly outpostService: ServiceRef;
  /** The address Traefik's forwardAuth asks. */
  public readonly forwardAuthAddress: string;
  /** The Helm chart. */
  public readonly chart: HelmChartRelease;

  constructor(scope: Construct, id: string, props: AuthentikProps) {
    super(freeScope(scope, id, 'app'), id, { disableResourceNameHashes: true });
    setBrand(this, 'Authentik');
    this.namespaceName = props.namespace ?? 'authentik';
    const secretName = props.secretName ?? 'authentik-secrets';
    const postgresqlSecret = props.postgresqlSecretName ?? 'authentik-postgresql';
    const checker = new PropChecker(this);
    checker.checkShape('props', props, AUTHENTIK_PROPS_FIELDS, 'Authentik');
    checker.checkShapeOfEach('props.tlsDomains', props.tlsDomains, TLS_DOMAIN_FIELDS, 'TlsDomain');
    checker.checkShape('props.certManager', props.certManager, CERT_MANAGER_ISSUER_FIELDS, 'CertManagerIssuer');
    checker.throwIfIncomplete();
    const profile = clusterProfileOf(this);
    checkCertificateSource(checker, props, profile);
    checker.check(isDnsLabel(this.namespaceName), 'props.namespace', this.namespaceName, 'is not a valid namespace name');
    checker.check(isDnsSubdomain(secretName), 'props.secretName', secretName, 'is not a valid Secret name');
    checker.check(isDnsSubdomain(postgresqlSecret), 'props.postgresqlSecretName', postgresqlSecret, 'is not a valid Secret name');
    for (const [field, size] of [
      ['postgresqlSize', props.postgresqlSize],
      ['redisSize', props.redisSize],
    ] as const) {
      if (size !== undefined) {
        checker.check(isQuantity(size), `props.${field}`, size, 'is not a Kubernetes quantity', 'write e.g. 8Gi');
      }
    }
    checker.reportProblems();
    // The certificate's issuer is checked above, as props.certManager; its names are the host's.
    PropChecker.declareChecked(this, ['Certificate']);
    const storageClass = props.storageClass ?? profile.storageClass;

    this.outpostService = { name: 'authentik-server', namespace: this.namespaceName, port: 80 };
    this.forwardAuthAddress = `http://authentik-server.${this.namespaceName}.svc.cluster.local/outpost.goauthentik.io/auth/traefik`;
    const labels = recommendedLabels(id);

    new AppNamespace(this, 'Namespace', {
      name: this.namespaceName,
      labels,
      podSecurity: 'baseline',
      podSecurityReason: 'pods of the Authentik Helm chart (server, worker, PostgreSQL, Redis) are not ours to harden',
    });
    const merged = this.chartValues(props, secretName, postgresqlSecret, storageClass);
    this.chart = new HelmChartRelease(this, 'Chart', {
      name: 'authentik',
      repo: 'https://charts.goauthentik.io',
      chart: 'authentik',
      version: props.version,
      targetNamespace: this.namespaceName,
      createNamespace: false,
      values: merged.values,
      provides: [{ name: 'authentik-server', ports: [80, 'http'] }],
      labels,
    });
    this.addRoute(id, props, profile, labels);
  }

  /** Authentik's pages at `host`, the way the profile serves apps, with the certificate from its one source. */
  private addRoute(id: string, props: AuthentikProps, profile: ClusterProfile, labels: Record<string, string>): void {
    const issuer = props.certManager ?? (props.certResolver === undefined ? profile.certManager : undefined);
    const certificate = issuer
      ? new AppCertificate(this, 'Certificate', {
          name: 'authentik',
          namespace: this.namespaceName,
          dnsNames: props.tlsDomains ? tlsDomainNames(props.tlsDomains) : [props.host],
          secretName: 'authentik-tls',
          issuer: issuer.issuer,
          issuerKind: issuer.kind,
          labels,
        })
      : undefined;
    if (profile.defaultExpose === 'ingress') {
      new AppIngress(this, 'Ingress', {
        name: id,
        namespace: this.namespaceName,
        ingressClassName: profile.ingressClassName,
        hosts: [props.host],
        serviceName: 'authentik-server',
        servicePort: 80,
        tlsSecretName: certificate?.secretName,
        labels,
      });
      return;
    }
    const redirect = new HttpsRedirect(this, 'HttpsRedirect', { namespace: this.namespaceName, labels });
    const headers = new SecurityHeaders(this, 'SecurityHeaders', { namespace: this.namespaceName, labels });
    new HttpsRoute(this, 'Route', {
      name: id,
      namespace: this.namespaceName,
      hosts: [props.host],
      serviceName: 'authentik-server',
      servicePort: 80,
      redirectMiddleware: { name: redirect.name },
      middlewares: [{ name: headers.name }],
      certResolver: certificate ? undefined : props.certResolver,
      tlsSecretName: certificate?.secretName,
      tlsDomains: certificate ? undefined : props.tlsDomains,
      labels,
    });
  }

  /**
   * Our chart values with the user's merged in at every depth, as Helm merges
   * values files; a user value that replaces one of ours warns.
   */
  private chartValues(props: AuthentikProps, secretName: string, postgresqlSecret: string, storageClass: string): MergedHelmValues {
    const ours: Record<string, HelmValue> = {
      global: { envFrom: [{ secretRef: { name: secretName } }] },
      authentik: { error_reporting: { enabled: false } },
      server: { ingress: { enabled: false } },
      postgresql: {
        enabled: true,
        auth: { existingSecret: postgresqlSecret },
        primary: { persistence: { enabled: true, storageClass, size: props.postgresqlSize ?? '8Gi' } },
      },
      redis: {
        enabled: true,
        master: { persistence: { enabled: true, storageClass, size: props.redisSize ?? '1Gi' } },
      },
    };
    const merged = mergeHelmValues(ours, props.values);
    for (const r of merged.replaced) {
      warnAt(
        this,
        'HL-values-override',
        `props.values.${r.path}`,
        r.theirs,
        `replaces the value the Authentik construct sets (${JSON.stringify(r.ours)}), which it relies on`,
        'drop it from values unless you mean to change how Authentik is installed',
      );
    }
    return merged;
  }
}

/** One source of Authentik's certificate: cert-manager, or a Traefik resolver where the profile routes through Traefik. */
function checkCertificateSource(checker: PropChecker, props: AuthentikProps, profile: ClusterProfile): void {
  if (props.certManager !== undefined) {
    checkCertManagerIssuer(checker, 'props.certManager', props.certManager);
    checker.check(
      props.certResolver === undefined,
      'props.certResolver',
      props.certResolver,
      'cannot be combined with certManager: the certificate comes from one source',
      'drop certResolver, or drop certManager',
    );
  } else if (profile.defaultExpose === 'ingress' && profile.certManager === undefined) {
    checker.check(
      false,
      'props.certManager',
      undefined,
      `is required on the ${profile.name} profile: Authentik is served there by a standard Ingress (class ${profile.ingressClassName}), whose certificate comes from a Secret`,
      'give the cert-manager issuer of its certificate, e.g. certManager: { issuer: "letsencrypt" }, or name it once on the profile (certManager)',
    );
  }
  if (profile.defaultExpose === 'ingress' && props.certResolver !== undefined) {
    checker.check(
      false,
      'props.certResolver',
      props.certResolver,
      `is a Traefik resolver, and the ${profile.name} profile serves Authentik through a standard Ingress`,
      'give certManager instead',
    );
  }
}
