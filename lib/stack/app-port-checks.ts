import { checkNamedPorts } from '../constructs/workload/workload-checks';
import type { ClusterProfile } from '../core/cluster-profile';
import type { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isIpAddress } from '../core/value-rules';
import { isEntryPointName } from '../traefik/app-tcp-route';
import type { AppPort, AppStackProps, EntryPointExposure, Exposure, LoadBalancerAddress } from './app-stack-props';

/** The prop names of {@link AppPort}, to find unknown ones at run time. */
const APP_PORT_FIELDS: PropNames<AppPort> = { name: 'string', port: 'number', protocol: 'string?', expose: 'any?', loadBalancer: 'object?' };

/** The prop names of {@link EntryPointExposure}, to find unknown ones at run time. */
const ENTRY_POINT_EXPOSURE_FIELDS: PropNames<EntryPointExposure> = { entryPoint: 'string' };

/** The prop names of {@link LoadBalancerAddress}, to find unknown ones at run time. */
export const LOAD_BALANCER_ADDRESS_FIELDS: PropNames<LoadBalancerAddress> = { pool: 'string?', address: 'string?' };

/** Unknown props of the app's `ports`. */
export function checkAppPortNames(checker: PropChecker, props: AppStackProps): void {
  checker.checkShapeOfEach('props.ports', props.ports, APP_PORT_FIELDS, 'AppPort');
  for (const [i, p] of (Array.isArray(props.ports) ? props.ports : []).entries()) {
    if (typeof p?.expose === 'object' && p.expose !== null) {
      checker.checkShape(`props.ports[${i}].expose`, p.expose, ENTRY_POINT_EXPOSURE_FIELDS, 'EntryPointExposure');
    }
    checker.checkShape(`props.ports[${i}].loadBalancer`, p?.loadBalancer, LOAD_BALANCER_ADDRESS_FIELDS, 'LoadBalancerAddress');
  }
}

/**
 * The app's `ports`: beside its own port, each named and numbered once per
 * protocol, reached a known way; `loadBalancer` ports share one Service, so
 * one address.
 */
export function checkAppPorts(checker: PropChecker, id: string, props: AppStackProps, expose: Exposure, profile: ClusterProfile): void {
  const ports = props.ports ?? [];
  if (ports.length === 0) {
    return;
  }
  checker.check(
    props.port !== undefined,
    'props.ports',
    ports.map((p) => p.name),
    "need the app's own port (its Service is built around it)",
    'give port: the port of its web UI or main listener',
  );
  checkNamedPorts(checker, 'props.ports', ports, 'http', props.port);
  if (props.metrics?.port !== undefined) {
    for (const [i, p] of ports.entries()) {
      checker.check(p.name !== 'metrics', `props.ports[${i}].name`, p.name, 'is the name of the metrics port', 'give the port another name');
      checker.check(p.port !== props.metrics.port, `props.ports[${i}].port`, p.port, 'is the metrics port', 'drop it: metrics.port declares it');
    }
  }
  const addresses = new Set<string>();
  for (const [i, p] of ports.entries()) {
    const field = `props.ports[${i}]`;
    const how = p.expose ?? 'cluster';
    if (typeof how === 'object') {
      checker.check(isEntryPointName(how.entryPoint), `${field}.expose.entryPoint`, how.entryPoint, 'is not an entry point name');
      checker.check(isDnsLabel(`${id}-${p.name}`), `${field}.name`, p.name, `makes an invalid route name (${id}-${p.name})`, 'use a shorter name');
    } else {
      checker.check(how === 'cluster' || how === 'loadBalancer', `${field}.expose`, how, 'must be "cluster", "loadBalancer" or { entryPoint }');
    }
    if (how === 'loadBalancer') {
      checkLoadBalancer(checker, `${field}.expose`, how, p.loadBalancer, `${field}.loadBalancer`, profile);
      checker.check(
        expose !== 'loadBalancer' || p.loadBalancer === undefined,
        `${field}.loadBalancer`,
        p.loadBalancer,
        'is the app\'s: with expose: "loadBalancer" the port is on the app\'s own LoadBalancer Service',
        "drop it, and give the address in the app's loadBalancer",
      );
      addresses.add(JSON.stringify(p.loadBalancer ?? {}));
    } else {
      checker.check(p.loadBalancer === undefined, `${field}.loadBalancer`, p.loadBalancer, 'only applies to a port with expose: "loadBalancer"', 'drop it');
    }
  }
  checker.check(
    addresses.size <= 1,
    'props.ports',
    [...addresses].map((a) => JSON.parse(a) as unknown),
    'give the LoadBalancer Service of the loadBalancer ports more than one address',
    'give every loadBalancer port the same loadBalancer (they share one Service, so one address)',
  );
}

/**
 * A LoadBalancer Service (asked for at `field`) needs something to give it
 * an address; pools and fixed addresses (at `addressField`) need MetalLB.
 */
export function checkLoadBalancer(
  checker: PropChecker,
  field: string,
  value: unknown,
  address: LoadBalancerAddress | undefined,
  addressField: string,
  profile: ClusterProfile,
): void {
  checker.check(
    profile.loadBalancer !== 'none',
    field,
    value,
    `would never get an address: the ${profile.name} profile has no load balancer (loadBalancer: "none")`,
    'install MetalLB and say so in the profile (loadBalancer: "metallb"), or expose the app another way',
  );
  if (address?.pool !== undefined) {
    checker.check(isDnsSubdomain(address.pool), `${addressField}.pool`, address.pool, 'is not a valid pool name');
  }
  if (address?.address !== undefined) {
    checker.check(isIpAddress(address.address), `${addressField}.address`, address.address, 'is not an IP address', 'write e.g. 192.168.1.240');
  }
  if (profile.loadBalancer === 'servicelb' && address !== undefined) {
    checker.check(
      false,
      addressField,
      address,
      `needs MetalLB, and on the ${profile.name} profile ServiceLB gives LoadBalancer Services the nodes' addresses (no pools, no fixed address)`,
      'drop loadBalancer, or disable ServiceLB, install MetalLB and use k3s({ loadBalancer: "metallb" })',
    );
  }
}
