import { Construct } from 'constructs';
import type { MiddlewareProps } from '../../imports/traefik-middlewares-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isCidr } from '../core/value-rules';

/** Props of {@link IpAllowList}. */
export interface IpAllowListProps {
  /** The namespace of the Middleware (that of the routes using it). */
  readonly namespace: string;
  /** The client addresses allowed, as IPs or CIDR ranges (e.g. the VPN's `10.8.0.0/24`). */
  readonly sourceRange: string[];
  /**
   * Take the client address from X-Forwarded-For, this many hops from the
   * right, when a proxy sits in front of Traefik (its IP must be trusted in
   * TraefikConfig). Without it Traefik uses the connection's address.
   * @default - the connection's remote address
   */
  readonly ipStrategyDepth?: number;
  /**
   * The Middleware name.
   * @default 'ip-allow-list'
   */
  readonly name?: string;
  /**
   * Labels of the Middleware object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link IpAllowListProps}, to find unknown ones at run time. */
const IP_ALLOW_LIST_PROPS_FIELDS: PropNames<IpAllowListProps> = {
  namespace: 'string',
  sourceRange: 'string[]',
  ipStrategyDepth: 'number?',
  name: 'string?',
  labels: 'object?',
};

/**
 * A Traefik `ipAllowList` Middleware: only clients from the given ranges
 * (the VPN or admin network) reach the app; others get 403.
 * @see https://doc.traefik.io/traefik/middlewares/http/ipallowlist/
 */
export class IpAllowList extends Construct {
  /** The Middleware name. */
  public readonly name: string;
  /** The allowed ranges. */
  public readonly sourceRange: readonly string[];
  /** The Traefik object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: IpAllowListProps) {
    super(scope, id);
    this.name = props.name ?? 'ip-allow-list';
    this.sourceRange = [...props.sourceRange];
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, IP_ALLOW_LIST_PROPS_FIELDS, 'IpAllowList');
      checker.throwIfIncomplete();
      checkSourceRange(checker, props.sourceRange, 'props.sourceRange');
      if (props.ipStrategyDepth !== undefined) {
        checker.check(
          Number.isInteger(props.ipStrategyDepth) && props.ipStrategyDepth > 0,
          'props.ipStrategyDepth',
          props.ipStrategyDepth,
          'must be a whole number, 1 or more',
        );
      }
      checker.reportProblems();
    }
    const manifest: Json<MiddlewareProps> = {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels },
      spec: {
        ipAllowList: {
          sourceRange: [...props.sourceRange],
          ipStrategy: props.ipStrategyDepth !== undefined ? { depth: props.ipStrategyDepth } : undefined,
        },
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', ...manifest });
  }
}

/** Records problems of a list of allowed ranges. */
export function checkSourceRange(checker: PropChecker, ranges: readonly string[], field: string): void {
  checker.check(ranges.length > 0, field, ranges, 'must list at least one range', 'list the VPN or admin network, e.g. 10.8.0.0/24');
  for (const [i, r] of ranges.entries()) {
    checker.check(isCidr(r), `${field}[${i}]`, r, 'is not an IP address or CIDR range', 'write e.g. 10.8.0.0/24');
    checker.check(r !== '0.0.0.0/0' && r !== '::/0', `${field}[${i}]`, r, 'allows every address', 'list the networks that may reach the app');
  }
}
