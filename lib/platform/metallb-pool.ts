import { Construct } from 'constructs';
import { ManifestObject } from '../constructs/manifest-object';
import { clusterProfileOf } from '../core/cluster-profile';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isAddressPoolEntry, isDnsLabel, isDnsSubdomain } from '../core/value-rules';

/** Props of {@link MetalLbPool}. */
export interface MetalLbPoolProps {
  /** The pool's name, which apps ask for (`loadBalancer: { pool }`). */
  readonly name: string;
  /** The addresses it hands out: CIDR ranges or IPv4 ranges, e.g. `['192.168.1.240-192.168.1.250']`. */
  readonly addresses: string[];
  /**
   * The namespace MetalLB runs in.
   * @default 'metallb-system'
   */
  readonly namespace?: string;
  /**
   * Announce the addresses on the LAN in layer 2 (ARP/NDP), which home networks need; an
   * `L2Advertisement` of the pool.
   * @default true
   */
  readonly l2?: boolean;
  /**
   * Whether MetalLB may give its addresses to Services that ask for no pool.
   * @default true
   */
  readonly autoAssign?: boolean;
}

const METALLB_POOL_PROPS_FIELDS: PropNames<MetalLbPoolProps> = {
  name: 'string',
  addresses: 'string[]',
  namespace: 'string?',
  l2: 'boolean?',
  autoAssign: 'boolean?',
};

/**
 * A MetalLB address pool, for LoadBalancer Services on bare metal (what K3s's
 * servicelb does on one node, for clusters that run MetalLB instead): an
 * `IPAddressPool`, and an `L2Advertisement` that announces it on the LAN.
 * @see https://metallb.io/configuration/
 */
export class MetalLbPool extends Construct {
  /** The pool's name. */
  public readonly name: string;
  /** The IPAddressPool. */
  public readonly pool: ManifestObject;
  /** The L2Advertisement, unless `l2` is false. */
  public readonly advertisement?: ManifestObject;

  constructor(scope: Construct, id: string, props: MetalLbPoolProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, METALLB_POOL_PROPS_FIELDS, 'MetalLbPool');
    checker.throwIfIncomplete();
    const namespace = props.namespace ?? 'metallb-system';
    checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid pool name');
    checker.check(isDnsLabel(namespace), 'props.namespace', namespace, 'is not a valid namespace name');
    checker.check(props.addresses.length > 0, 'props.addresses', props.addresses, 'must list at least one range', 'write e.g. 192.168.1.240-192.168.1.250');
    for (const [i, entry] of props.addresses.entries()) {
      checker.check(
        isAddressPoolEntry(entry),
        `props.addresses[${i}]`,
        entry,
        'is not a CIDR range nor an IPv4 range',
        'write e.g. 192.168.1.240/28 or 192.168.1.240-192.168.1.250',
      );
    }
    const profile = clusterProfileOf(this);
    checker.check(
      profile.loadBalancer === 'metallb',
      'props',
      props.name,
      `declares a MetalLB pool, and the ${profile.name} profile says LoadBalancer Services get their address from ${profile.loadBalancer === 'servicelb' ? 'ServiceLB' : 'nothing'}`,
      profile.loadBalancer === 'servicelb'
        ? 'disable ServiceLB (--disable servicelb), install MetalLB and use k3s({ loadBalancer: "metallb" })'
        : 'install MetalLB and say so in the profile: loadBalancer: "metallb"',
    );
    checker.reportProblems();
    this.name = props.name;
    this.pool = new ManifestObject(this, 'Pool', {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: props.name, namespace },
      spec: { addresses: [...props.addresses], ...(props.autoAssign === false ? { autoAssign: false } : {}) },
    });
    if (props.l2 ?? true) {
      this.advertisement = new ManifestObject(this, 'L2', {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'L2Advertisement',
        metadata: { name: props.name, namespace },
        spec: { ipAddressPools: [props.name] },
      });
    }
  }
}
