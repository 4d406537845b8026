import { Construct } from 'constructs';
import { ManifestObject } from '../constructs/manifest-object';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain } from '../core/value-rules';

/** The objects that may reference across namespaces: routes of a namespace, or its Gateways. */
export interface ReferenceGrantFrom {
  /** Their kind. */
  readonly kind: 'HTTPRoute' | 'GRPCRoute' | 'Gateway';
  /** Their namespace. */
  readonly namespace: string;
}

/** What of the grant's namespace they may reference. */
export interface ReferenceGrantTo {
  /** Services (route backends) or Secrets (listener certificates). */
  readonly kind: 'Service' | 'Secret';
  /**
   * Only this one.
   * @default - every object of the kind in the namespace
   */
  readonly name?: string;
}

/** Props of {@link GatewayReferenceGrant}. */
export interface GatewayReferenceGrantProps {
  /** The ReferenceGrant's name. */
  readonly name: string;
  /** The namespace of the Services or Secrets referenced (the grant lives beside them). */
  readonly namespace: string;
  /** Who may reference them. */
  readonly from: ReferenceGrantFrom[];
  /** What they may reference. */
  readonly to: ReferenceGrantTo[];
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const FROM_FIELDS: PropNames<ReferenceGrantFrom> = { kind: 'string', namespace: 'string' };
const TO_FIELDS: PropNames<ReferenceGrantTo> = { kind: 'string', name: 'string?' };
const GATEWAY_REFERENCE_GRANT_PROPS_FIELDS: PropNames<GatewayReferenceGrantProps> = {
  name: 'string',
  namespace: 'string',
  from: 'list',
  to: 'list',
  labels: 'object?',
};

/**
 * A Gateway API ReferenceGrant: lets the HTTPRoutes (or Gateways) of other
 * namespaces reference the Services (or Secrets) of this one. Without it,
 * a route's backend in another namespace is refused (the `referenceGrants`
 * check says so before the cluster does).
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
export class GatewayReferenceGrant extends Construct {
  /** The ReferenceGrant object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: GatewayReferenceGrantProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, GATEWAY_REFERENCE_GRANT_PROPS_FIELDS, 'GatewayReferenceGrant');
    checker.checkShapeOfEach('props.from', props.from, FROM_FIELDS, 'ReferenceGrantFrom');
    checker.checkShapeOfEach('props.to', props.to, TO_FIELDS, 'ReferenceGrantTo');
    checker.throwIfIncomplete();
    checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid ReferenceGrant name');
    checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
    checker.check(props.from.length > 0, 'props.from', props.from, 'must name at least one kind and namespace');
    checker.check(props.to.length > 0, 'props.to', props.to, 'must name at least one kind');
    for (const [i, from] of props.from.entries()) {
      checker.check(['HTTPRoute', 'GRPCRoute', 'Gateway'].includes(from.kind), `props.from[${i}].kind`, from.kind, 'must be HTTPRoute, GRPCRoute or Gateway');
      checker.check(isDnsLabel(from.namespace), `props.from[${i}].namespace`, from.namespace, 'is not a valid namespace name');
      checker.check(
        from.namespace !== props.namespace,
        `props.from[${i}].namespace`,
        from.namespace,
        'is the namespace of the grant: references within a namespace need no grant',
        'drop it',
      );
    }
    for (const [i, to] of props.to.entries()) {
      checker.check(['Service', 'Secret'].includes(to.kind), `props.to[${i}].kind`, to.kind, 'must be Service or Secret');
      if (to.name !== undefined) {
        checker.check(isDnsSubdomain(to.name), `props.to[${i}].name`, to.name, `is not a valid ${to.kind} name`);
      }
    }
    checker.reportProblems();
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        from: props.from.map((f) => ({ group: 'gateway.networking.k8s.io', kind: f.kind, namespace: f.namespace })),
        to: props.to.map((t) => ({ group: '', kind: t.kind, ...(t.name ? { name: t.name } : {}) })),
      },
    });
  }
}
