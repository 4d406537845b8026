import { Construct } from 'constructs';
import type { MiddlewareProps } from '../../imports/traefik-middlewares-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';

/** The headers Authentik's outpost returns about the signed-in user. */
export const AUTHENTIK_RESPONSE_HEADERS: readonly string[] = [
  'X-authentik-username',
  'X-authentik-groups',
  'X-authentik-email',
  'X-authentik-name',
  'X-authentik-uid',
  'X-authentik-jwt',
  'X-authentik-meta-jwks',
  'X-authentik-meta-outpost',
  'X-authentik-meta-provider',
  'X-authentik-meta-app',
  'X-authentik-meta-version',
];

/** Props of {@link ForwardAuth}. */
export interface ForwardAuthProps {
  /** The namespace of the Middleware (that of the routes using it). */
  readonly namespace: string;
  /** The URL Traefik asks whether a request may pass, e.g. Authentik's `/outpost.goauthentik.io/auth/traefik`. */
  readonly address: string;
  /**
   * The Middleware name.
   * @default 'sso'
   */
  readonly name?: string;
  /**
   * Response headers of the auth server copied onto the request to the app.
   * @default AUTHENTIK_RESPONSE_HEADERS
   */
  readonly authResponseHeaders?: string[];
  /**
   * Whether the auth server may see the X-Forwarded-* headers of the request.
   * @default true
   */
  readonly trustForwardHeader?: boolean;
  /**
   * Labels of the Middleware object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link ForwardAuthProps}, to find unknown ones at run time. */
const FORWARD_AUTH_PROPS_FIELDS: PropNames<ForwardAuthProps> = {
  namespace: 'string',
  address: 'string',
  name: 'string?',
  authResponseHeaders: 'string[]?',
  trustForwardHeader: 'boolean?',
  labels: 'object?',
};

/**
 * A Traefik `forwardAuth` Middleware: every request is first checked by a
 * single sign-on server (Authentik's outpost).
 * @see https://doc.traefik.io/traefik/middlewares/http/forwardauth/
 * @see https://docs.goauthentik.io/add-secure-apps/providers/proxy/server_traefik/
 */
export class ForwardAuth extends Construct {
  /** The Middleware name. */
  public readonly name: string;
  /** The Traefik object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: ForwardAuthProps) {
    super(scope, id);
    this.name = props.name ?? 'sso';
    const checker = new PropChecker(this);
    checker.checkShape('props', props, FORWARD_AUTH_PROPS_FIELDS, 'ForwardAuth');
    checker.throwIfIncomplete();
    checker.check(
      /^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.address),
      'props.address',
      props.address,
      'is not an http(s) URL',
      'point it at the outpost, e.g. http://authentik-server.authentik.svc.cluster.local/outpost.goauthentik.io/auth/traefik',
    );
    checker.reportProblems();
    const manifest: Json<MiddlewareProps> = {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels },
      spec: {
        forwardAuth: {
          address: props.address,
          trustForwardHeader: props.trustForwardHeader ?? true,
          authResponseHeaders: [...(props.authResponseHeaders ?? AUTHENTIK_RESPONSE_HEADERS)],
        },
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', ...manifest });
  }
}
