import { Construct } from 'constructs';
import type { MiddlewareProps } from '../../imports/traefik-middlewares-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';

/** Props of {@link HttpsRedirect}. */
export interface HttpsRedirectProps {
  /** The namespace of the Middleware (the namespace of the routes that use it). */
  readonly namespace: string;
  /**
   * The Middleware name.
   * @default 'https-redirect'
   */
  readonly name?: string;
  /**
   * Whether the redirect is permanent (301/308) rather than temporary (302/307).
   * @default true
   */
  readonly permanent?: boolean;
  /**
   * Labels of the Middleware object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link HttpsRedirectProps}, to find unknown ones at run time. */
const HTTPS_REDIRECT_PROPS_FIELDS: PropNames<HttpsRedirectProps> = { namespace: 'string', name: 'string?', permanent: 'boolean?', labels: 'object?' };

/**
 * A Traefik `redirectScheme` Middleware that sends plain HTTP to HTTPS.
 * @see https://doc.traefik.io/traefik/middlewares/http/redirectscheme/
 */
export class HttpsRedirect extends Construct {
  /** The Middleware name. */
  public readonly name: string;
  /** The namespace of the Middleware. */
  public readonly namespace: string;
  /** Whether the redirect is permanent. */
  public readonly permanent: boolean;
  /** The Traefik object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: HttpsRedirectProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, HTTPS_REDIRECT_PROPS_FIELDS, 'HttpsRedirect');
    checker.reportProblems();
    this.name = props.name ?? 'https-redirect';
    this.namespace = props.namespace;
    this.permanent = props.permanent ?? true;
    const manifest: Json<MiddlewareProps> = {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels },
      spec: { redirectScheme: { scheme: 'https', permanent: this.permanent } },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', ...manifest });
  }
}
