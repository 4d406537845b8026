import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppNamespace } from '../constructs/app-namespace';
import { AppNetworkPolicy } from '../constructs/app-network-policy';
import { checkPodSecurity, type PodSecurityProfile } from '../constructs/workload/pod-security';
import { hasBrand, setBrand } from '../core/brand';
import { recommendedLabels } from '../core/labels';
import { freeScope, PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel } from '../core/value-rules';
import { HttpsRedirect } from '../traefik/https-redirect';
import { checkSecurityHeaders, SECURITY_HEADERS_OPTIONS_FIELDS, SecurityHeaders, type SecurityHeadersOptions } from '../traefik/security-headers';
import { claimNamespace } from './namespace-owners';

/** The Pod Security of a namespace: the profile it enforces, and why it is less than `restricted`. */
export interface NamespaceSecurity {
  /**
   * The profile the namespace enforces; each app in it may be stricter, never looser.
   * @default 'restricted'
   */
  readonly profile?: PodSecurityProfile;
  /**
   * Why the namespace enforces less than `restricted` (required then).
   * @default - none
   */
  readonly reason?: string;
}

/** Props of {@link SharedNamespace}. */
export interface SharedNamespaceProps {
  /**
   * The Pod Security the namespace enforces.
   * @default - restricted
   */
  readonly security?: NamespaceSecurity;
  /**
   * The security headers of the HTTPS responses of the apps in the namespace
   * that do not set their own (one `security-headers` Middleware they share
   * on Traefik routes; the same headers on their Gateway API routes).
   * @default - HSTS for a year, nosniff, frame deny, strict-origin-when-cross-origin
   */
  readonly securityHeaders?: SecurityHeadersOptions;
}

/** The prop names of {@link SharedNamespaceProps}, to find unknown ones at run time. */
const SHARED_NAMESPACE_PROPS_FIELDS: PropNames<SharedNamespaceProps> = { security: 'object?', securityHeaders: 'object?' };

/** The prop names of {@link NamespaceSecurity}, to find unknown ones at run time. */
const NAMESPACE_SECURITY_FIELDS: PropNames<NamespaceSecurity> = { profile: 'string?', reason: 'string?' };

/**
 * A namespace several apps share (a `media` namespace for Jellyfin and its
 * companions, a shop's frontend and API): create each app's AppStack in it,
 * `new AppStack(media, 'jellyfin', {...})`. The namespace owns the Namespace,
 * its default-deny NetworkPolicy, and the HTTPS redirect and security headers
 * Middlewares its apps' routes share; each app keeps its own workload,
 * Service, routes, volumes, allow rules (`<app>-allow-from-...`) and other
 * middlewares (`<app>-sso`, `<app>-ip-allow-list`). Everything lands in one
 * file, `dist/<namespace>.k8s.yaml`, the Namespace first.
 */
export class SharedNamespace extends Chart {
  /** Whether `x` is a SharedNamespace, from this copy of cdk8s-homelab or another. */
  public static isSharedNamespace(x: unknown): x is SharedNamespace {
    return hasBrand(x, 'SharedNamespace');
  }

  /** The namespace name: the id. */
  public readonly name: string;
  /** The Namespace, with its Pod Security profile. */
  public readonly appNamespace: AppNamespace;
  /** The namespace's default-deny ingress NetworkPolicy. */
  public readonly networkPolicy: AppNetworkPolicy;
  private readonly objectLabels: Record<string, string>;
  private readonly headerOptions: SecurityHeadersOptions;
  private redirect?: HttpsRedirect;
  private headers?: SecurityHeaders;

  constructor(scope: Construct, id: string, props: SharedNamespaceProps = {}) {
    super(freeScope(scope, id, 'app or shared namespace'), id, { disableResourceNameHashes: true });
    setBrand(this, 'SharedNamespace');
    const checker = new PropChecker(this);
    checker.checkShape('props', props, SHARED_NAMESPACE_PROPS_FIELDS, 'SharedNamespace');
    checker.checkShape('props.security', props.security, NAMESPACE_SECURITY_FIELDS, 'NamespaceSecurity');
    checker.checkShape('props.securityHeaders', props.securityHeaders, SECURITY_HEADERS_OPTIONS_FIELDS, 'SecurityHeadersOptions');
    checker.throwIfIncomplete();
    checker.check(isDnsLabel(id), 'id', id, 'is not a valid namespace name', 'use at most 63 lowercase letters, digits and "-"');
    checkPodSecurity(checker, props.security);
    checkSecurityHeaders(checker, props.securityHeaders ?? {}, 'props.securityHeaders');
    const owner = claimNamespace(this, id, { id, shared: true });
    checker.check(
      owner === undefined,
      'id',
      id,
      `is already the namespace of app ${owner?.id}`,
      `give that app another namespace, and create it in this SharedNamespace: new AppStack(${id}, '${owner?.id}', ...)`,
    );
    checker.reportProblems();
    // PropChecker.declareChecked marks the children whose props are checked here.
    PropChecker.declareChecked(this, ['SecurityHeaders']);
    this.name = id;
    this.objectLabels = recommendedLabels(id);
    this.headerOptions = { ...props.securityHeaders };
    this.appNamespace = new AppNamespace(this, 'Namespace', {
      name: id,
      labels: this.objectLabels,
      podSecurity: props.security?.profile,
      podSecurityReason: props.security?.reason,
    });
    this.networkPolicy = new AppNetworkPolicy(this, 'NetworkPolicy', {
      namespace: id,
      podSelector: {},
      ingressController: false,
      labels: this.objectLabels,
    });
  }

  /** The Pod Security profile the namespace enforces. */
  public get podSecurity(): PodSecurityProfile {
    return this.appNamespace.podSecurity;
  }

  /** The security headers of the apps that do not set their own. */
  public get securityHeaderOptions(): SecurityHeadersOptions {
    return this.headerOptions;
  }

  /** The HTTP to HTTPS redirect Middleware of the namespace's apps (made when the first app needs it). */
  public httpsRedirect(): HttpsRedirect {
    this.redirect ??= new HttpsRedirect(this, 'HttpsRedirect', { namespace: this.name, labels: this.objectLabels });
    return this.redirect;
  }

  /** The security headers Middleware of the namespace's apps that do not set their own (made when the first app needs it). */
  public securityHeaders(): SecurityHeaders {
    this.headers ??= new SecurityHeaders(this, 'SecurityHeaders', { ...this.headerOptions, namespace: this.name, labels: this.objectLabels });
    return this.headers;
  }
}
