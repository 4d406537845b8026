import { METALLB_ADDRESS_ANNOTATION, METALLB_POOL_ANNOTATION } from '../../core/annotations';
import type { SynthesizedObject } from '../../core/manifest';
import { asObj } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { ipv4Number, ipv4Range } from '../../core/value-rules';

/**
 * MetalLB addresses: a LoadBalancer Service that asks for a pool names an
 * IPAddressPool of the cluster, and a fixed IPv4 address lies in a pool (the
 * named one, if any). Without any pool in the output (MetalLB is configured
 * another way) it cannot be checked: synth warns.
 */
export function addressPools(objects: readonly SynthesizedObject[]): Problem[] {
  const pools = new Map<string, string[]>();
  for (const { manifest: m } of objects) {
    if (m.apiVersion.startsWith('metallb.io/') && m.kind === 'IPAddressPool') {
      const addresses = asObj(m.spec).addresses;
      pools.set(String(m.metadata.name), Array.isArray(addresses) ? addresses.map(String) : []);
    }
  }
  const problems: Problem[] = [];
  for (const o of objects) {
    if (o.manifest.kind !== 'Service' || o.manifest.apiVersion !== 'v1') {
      continue;
    }
    const annotations = asObj(o.manifest.metadata.annotations);
    const pool = typeof annotations[METALLB_POOL_ANNOTATION] === 'string' ? annotations[METALLB_POOL_ANNOTATION] : undefined;
    const fixed = typeof annotations[METALLB_ADDRESS_ANNOTATION] === 'string' ? annotations[METALLB_ADDRESS_ANNOTATION].split(',').map((a) => a.trim()) : [];
    if (pool === undefined && fixed.length === 0) {
      continue;
    }
    const field = (key: string) => `metadata.annotations["${key}"]`;
    if (pools.size === 0) {
      problems.push({
        ...objectProblem(
          o,
          field(pool !== undefined ? METALLB_POOL_ANNOTATION : METALLB_ADDRESS_ANNOTATION),
          pool ?? fixed.join(','),
          'cannot be checked: the output defines no MetalLB IPAddressPool',
          'add a MetalLbPool, or ignore this if MetalLB is configured another way',
        ),
        warning: 'HL-undeclared-address-pool',
      });
      continue;
    }
    if (pool !== undefined && !pools.has(pool)) {
      problems.push(
        objectProblem(o, field(METALLB_POOL_ANNOTATION), pool, 'is not an IPAddressPool of the cluster', `use one of: ${[...pools.keys()].join(', ')}`),
      );
      continue;
    }
    const candidates = pool !== undefined ? [pool] : [...pools.keys()];
    for (const address of fixed) {
      const n = ipv4Number(address);
      if (n === undefined) {
        continue; // IPv6: not checked here
      }
      const inPool = candidates.some((p) =>
        (pools.get(p) ?? []).some((entry) => {
          const range = ipv4Range(entry);
          return range !== undefined && n >= range[0] && n <= range[1];
        }),
      );
      if (!inPool) {
        problems.push(
          objectProblem(
            o,
            field(METALLB_ADDRESS_ANNOTATION),
            address,
            `is in no range of ${pool !== undefined ? `pool ${pool}` : 'any pool'}`,
            `use an address of ${candidates.map((p) => `${p} (${(pools.get(p) ?? []).join(', ')})`).join('; ')}`,
          ),
        );
      }
    }
  }
  return problems;
}
