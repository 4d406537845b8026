import { Construct } from 'constructs';
import type { MiddlewareProps } from '../../imports/traefik-middlewares-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';

/** The headers an app's HTTPS responses carry. */
export interface SecurityHeadersOptions {
  /**
   * HSTS max-age: how long browsers only use HTTPS for the host, in seconds.
   * @default 31536000 (one year)
   */
  readonly stsSeconds?: number;
  /**
   * Whether HSTS also covers every subdomain of the host.
   * @default false
   */
  readonly stsIncludeSubdomains?: boolean;
  /**
   * Whether to ask browsers to preload HSTS (needs a year and subdomains).
   * @default false
   */
  readonly stsPreload?: boolean;
  /**
   * `X-Frame-Options: DENY`: no site may frame the app.
   * @default true
   */
  readonly frameDeny?: boolean;
  /**
   * `X-Content-Type-Options: nosniff`.
   * @default true
   */
  readonly contentTypeNosniff?: boolean;
  /**
   * The `Referrer-Policy` header.
   * @default 'strict-origin-when-cross-origin'
   */
  readonly referrerPolicy?: string;
  /**
   * More response headers; an empty value removes the header (e.g. `Server`).
   * @default - none
   */
  readonly customResponseHeaders?: Record<string, string>;
}

/** The prop names of {@link SecurityHeadersOptions}, to find unknown ones at run time. */
export const SECURITY_HEADERS_OPTIONS_FIELDS: PropNames<SecurityHeadersOptions> = {
  stsSeconds: 'number?',
  stsIncludeSubdomains: 'boolean?',
  stsPreload: 'boolean?',
  frameDeny: 'boolean?',
  contentTypeNosniff: 'boolean?',
  referrerPolicy: 'string?',
  customResponseHeaders: 'object?',
};

/** Props of {@link SecurityHeaders}. */
export interface SecurityHeadersProps extends SecurityHeadersOptions {
  /** The namespace of the Middleware (that of the routes using it). */
  readonly namespace: string;
  /**
   * The Middleware name.
   * @default 'security-headers'
   */
  readonly name?: string;
  /**
   * Labels of the Middleware object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link SecurityHeadersProps}, to find unknown ones at run time. */
const SECURITY_HEADERS_PROPS_FIELDS: PropNames<SecurityHeadersProps> = {
  ...SECURITY_HEADERS_OPTIONS_FIELDS,
  namespace: 'string',
  name: 'string?',
  labels: 'object?',
};

/**
 * A Traefik `headers` Middleware that hardens HTTPS responses: HSTS,
 * nosniff, frame deny and a referrer policy.
 * @see https://doc.traefik.io/traefik/middlewares/http/headers/
 */
export class SecurityHeaders extends Construct {
  /** The Middleware name. */
  public readonly name: string;
  /** The namespace of the Middleware. */
  public readonly namespace: string;
  /** The HSTS max-age in seconds. */
  public readonly stsSeconds: number;
  /** The Traefik object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: SecurityHeadersProps) {
    super(scope, id);
    this.name = props.name ?? 'security-headers';
    this.namespace = props.namespace;
    this.stsSeconds = props.stsSeconds ?? 31536000;
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, SECURITY_HEADERS_PROPS_FIELDS, 'SecurityHeaders');
      checker.throwIfIncomplete();
      checkSecurityHeaders(checker, props, 'props');
      checker.reportProblems();
    }
    const manifest: Json<MiddlewareProps> = {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels },
      spec: {
        headers: {
          stsSeconds: this.stsSeconds,
          stsIncludeSubdomains: props.stsIncludeSubdomains ?? false,
          stsPreload: props.stsPreload ?? false,
          frameDeny: props.frameDeny ?? true,
          contentTypeNosniff: props.contentTypeNosniff ?? true,
          referrerPolicy: props.referrerPolicy ?? 'strict-origin-when-cross-origin',
          customResponseHeaders: props.customResponseHeaders ? { ...props.customResponseHeaders } : undefined,
        },
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', ...manifest });
  }
}

/**
 * The response headers of `options` as a Gateway API `ResponseHeaderModifier`
 * filter sets and removes them: the same headers Traefik's headers
 * Middleware writes (HSTS, X-Frame-Options, X-Content-Type-Options,
 * Referrer-Policy, and the custom ones; an empty custom value removes it).
 */
export function securityHeaderModifier(options: SecurityHeadersOptions): { set: { name: string; value: string }[]; remove?: string[] } {
  const sts = [
    `max-age=${options.stsSeconds ?? 31536000}`,
    ...(options.stsIncludeSubdomains ? ['includeSubDomains'] : []),
    ...(options.stsPreload ? ['preload'] : []),
  ];
  const set = [
    { name: 'Strict-Transport-Security', value: sts.join('; ') },
    ...((options.frameDeny ?? true) ? [{ name: 'X-Frame-Options', value: 'DENY' }] : []),
    ...((options.contentTypeNosniff ?? true) ? [{ name: 'X-Content-Type-Options', value: 'nosniff' }] : []),
    { name: 'Referrer-Policy', value: options.referrerPolicy ?? 'strict-origin-when-cross-origin' },
  ];
  const custom = Object.entries(options.customResponseHeaders ?? {});
  set.push(...custom.filter(([, v]) => v !== '').map(([name, value]) => ({ name, value })));
  const remove = custom.filter(([, v]) => v === '').map(([name]) => name);
  return { set, ...(remove.length > 0 ? { remove } : {}) };
}

const REFERRER_POLICIES = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
];

/** Records every problem of security header options; `prefix` names them (e.g. `props.securityHeaders`). */
export function checkSecurityHeaders(checker: PropChecker, options: SecurityHeadersOptions, prefix: string): void {
  if (options.stsSeconds !== undefined) {
    checker.check(
      Number.isInteger(options.stsSeconds) && options.stsSeconds > 0,
      `${prefix}.stsSeconds`,
      options.stsSeconds,
      'must be a positive whole number of seconds',
      'use e.g. 31536000 for a year; to drop the headers, set securityHeaders: false',
    );
  }
  if (options.stsPreload) {
    checker.check(
      (options.stsSeconds ?? 31536000) >= 31536000 && options.stsIncludeSubdomains === true,
      `${prefix}.stsPreload`,
      true,
      'needs stsSeconds of a year or more and stsIncludeSubdomains: true',
      'set both, or drop stsPreload',
    );
  }
  if (options.referrerPolicy !== undefined) {
    checker.check(
      REFERRER_POLICIES.includes(options.referrerPolicy),
      `${prefix}.referrerPolicy`,
      options.referrerPolicy,
      `is not a referrer policy`,
      `use one of ${REFERRER_POLICIES.join(', ')}`,
    );
  }
  for (const name of Object.keys(options.customResponseHeaders ?? {})) {
    checker.check(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name), `${prefix}.customResponseHeaders`, name, 'is not a valid header name');
  }
}
