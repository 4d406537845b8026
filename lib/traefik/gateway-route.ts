import { Construct } from 'constructs';
import { ManifestObject } from '../constructs/manifest-object';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isHostname } from '../core/value-rules';
import { type SecurityHeadersOptions, securityHeaderModifier } from './security-headers';

/** Props of {@link GatewayRoute}. */
export interface GatewayRouteProps {
  /** The HTTPRoutes' base name: `<name>` (HTTPS) and `<name>-redirect` (HTTP). */
  readonly name: string;
  /** Their namespace (that of the Service). */
  readonly namespace: string;
  /** The hosts routed. */
  readonly hosts: string[];
  /** The Service the hosts go to. */
  readonly serviceName: string;
  /** The port of that Service. */
  readonly servicePort: number;
  /** The Gateway's name. */
  readonly gatewayName: string;
  /** The Gateway's namespace. */
  readonly gatewayNamespace: string;
  /**
   * The Gateway's HTTPS listener.
   * @default 'websecure'
   */
  readonly httpsListener?: string;
  /**
   * The Gateway's HTTP listener, whose requests are redirected to HTTPS.
   * @default 'web'
   */
  readonly httpListener?: string;
  /**
   * The security headers of the HTTPS responses, or `false` for none.
   * @default - HSTS for a year, X-Frame-Options DENY, nosniff, a strict referrer policy
   */
  readonly securityHeaders?: SecurityHeadersOptions | false;
  /**
   * Labels of the HTTPRoutes.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const GATEWAY_ROUTE_PROPS_FIELDS: PropNames<GatewayRouteProps> = {
  name: 'string',
  namespace: 'string',
  hosts: 'string[]',
  serviceName: 'string',
  servicePort: 'number',
  gatewayName: 'string',
  gatewayNamespace: 'string',
  httpsListener: 'string?',
  httpListener: 'string?',
  securityHeaders: 'any?',
  labels: 'object?',
};

/**
 * The Gateway API counterpart of HttpsRoute: an HTTPRoute of the hosts on a
 * Gateway's HTTPS listener to a Service (security headers as a
 * `ResponseHeaderModifier` filter), and one on its HTTP listener that
 * redirects to HTTPS. TLS ends on the Gateway, with its listener's certificate.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class GatewayRoute extends Construct {
  /** The HTTPRoute of the HTTPS listener. */
  public readonly route: ManifestObject;
  /** The HTTPRoute of the HTTP listener, which redirects to HTTPS. */
  public readonly redirect: ManifestObject;

  constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    // AppStack checks these props under its own names before it builds this.
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, GATEWAY_ROUTE_PROPS_FIELDS, 'GatewayRoute');
      checker.throwIfIncomplete();
      checker.check(props.hosts.length > 0, 'props.hosts', props.hosts, 'must name at least one host');
      for (const host of props.hosts) {
        checker.check(isHostname(host), 'props.host', host, 'is not a valid DNS name');
      }
      checker.check(isDnsSubdomain(props.gatewayName), 'props.gatewayName', props.gatewayName, 'is not a valid Gateway name');
      checker.check(isDnsLabel(props.gatewayNamespace), 'props.gatewayNamespace', props.gatewayNamespace, 'is not a valid namespace name');
      checker.port('props.servicePort', props.servicePort);
      checker.reportProblems();
    }
    const parent = (sectionName: string) => [
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.gatewayName, namespace: props.gatewayNamespace, sectionName },
    ];
    const route = (id: string, name: string, sectionName: string, rules: unknown[]) =>
      new ManifestObject(this, id, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name, namespace: props.namespace, labels: props.labels },
        spec: { parentRefs: parent(sectionName), hostnames: [...props.hosts], rules },
      });
    const headers =
      props.securityHeaders === false ? [] : [{ type: 'ResponseHeaderModifier', responseHeaderModifier: securityHeaderModifier(props.securityHeaders ?? {}) }];
    this.route = route('Https', props.name, props.httpsListener ?? 'websecure', [
      { ...(headers.length > 0 ? { filters: headers } : {}), backendRefs: [{ name: props.serviceName, port: props.servicePort }] },
    ]);
    this.redirect = route('Http', `${props.name}-redirect`, props.httpListener ?? 'web', [
      { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
    ]);
  }
}
