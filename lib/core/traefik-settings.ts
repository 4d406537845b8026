import { DEFAULT_ALLOW_CROSS_NAMESPACE } from './cluster-check';
import type { SynthesizedObject } from './manifest';
import { asObj, helmValuesOf, installedChartOf } from './manifest-fields';

/** The name and namespace of an object. */
export interface ObjectName {
  /** The object's name. */
  readonly name: string;
  /** The object's namespace. */
  readonly namespace: string;
}

/** Where K3s reads the configuration of its Traefik: HelmChartConfig `kube-system/traefik`. */
export const TRAEFIK_CONFIG: ObjectName = { name: 'traefik', namespace: 'kube-system' };

/** What the Traefik configuration in the output (see {@link configuresTraefik}) declares. */
export interface TraefikSettings {
  /** Whether a Traefik configuration is in the output at all. */
  readonly present: boolean;
  /** The declared certificate resolvers. */
  readonly certResolvers: readonly string[];
  /** The ACME challenge of each declared resolver: `http`, `tls` or `dns`. */
  readonly challenges: Readonly<Record<string, 'http' | 'tls' | 'dns'>>;
  /** Whether routes may reference other namespaces. */
  readonly allowCrossNamespace: boolean;
  /** Whether routes may send traffic to ExternalName Services. */
  readonly allowExternalNameServices: boolean;
  /** The entry points routes may use, their protocol and port on Traefik's Service: `web` and `websecure`, and the declared ones. */
  readonly entryPoints: Readonly<Record<string, EntryPointPort>>;
}

/** The protocol of an entry point, and the port clients reach it on. */
export interface EntryPointPort {
  /** TCP or UDP. */
  readonly protocol: 'TCP' | 'UDP';
  /** The port of Traefik's LoadBalancer Service. */
  readonly port: number;
}

/** The entry points of the Traefik chart that routes use without declaring them. */
export const DEFAULT_ENTRY_POINTS: Readonly<Record<string, EntryPointPort>> = Object.freeze({
  web: Object.freeze({ protocol: 'TCP', port: 80 }),
  websecure: Object.freeze({ protocol: 'TCP', port: 443 }),
});

/**
 * Whether an object configures Traefik: K3s's HelmChartConfig
 * kube-system/traefik, or a HelmChart or HelmRelease of the traefik chart.
 */
export function configuresTraefik(o: SynthesizedObject): boolean {
  const m = o.manifest;
  if (m.kind === 'HelmChartConfig') {
    return m.metadata.name === TRAEFIK_CONFIG.name && m.metadata.namespace === TRAEFIK_CONFIG.namespace;
  }
  return installedChartOf(m)?.chart === 'traefik';
}

/** Reads the Traefik configuration of the output (as TraefikConfig writes it), if any. */
export function traefikSettings(objects: readonly SynthesizedObject[]): TraefikSettings {
  const config = objects.find(configuresTraefik);
  if (!config) {
    return {
      present: false,
      certResolvers: [],
      challenges: {},
      allowCrossNamespace: DEFAULT_ALLOW_CROSS_NAMESPACE,
      allowExternalNameServices: false,
      entryPoints: DEFAULT_ENTRY_POINTS,
    };
  }
  const values = asObj(helmValuesOf(config).values); // a parse error is reported by secretHygiene
  const resolvers = asObj(values.certificatesResolvers);
  const challenges: Record<string, 'http' | 'tls' | 'dns'> = {};
  for (const [name, resolver] of Object.entries(resolvers)) {
    const acme = asObj(asObj(resolver).acme);
    challenges[name] = acme.dnsChallenge !== undefined ? 'dns' : acme.tlsChallenge !== undefined ? 'tls' : 'http';
  }
  return {
    present: true,
    certResolvers: Object.keys(resolvers),
    challenges,
    allowCrossNamespace: asObj(asObj(values.providers).kubernetesCRD).allowCrossNamespace === true,
    allowExternalNameServices: asObj(asObj(values.providers).kubernetesCRD).allowExternalNameServices === true,
    entryPoints: entryPointsOf(asObj(values.ports)),
  };
}

/** The entry points of the chart's `ports` values, beside web and websecure: those exposed (Traefik's own `traefik` and `metrics` ports are not). */
function entryPointsOf(ports: Record<string, unknown>): Record<string, EntryPointPort> {
  const out: Record<string, EntryPointPort> = { ...DEFAULT_ENTRY_POINTS };
  for (const [name, port] of Object.entries(ports)) {
    const p = asObj(port);
    if (typeof p.port === 'number' && asObj(p.expose).default === true) {
      out[name] = { protocol: p.protocol === 'UDP' ? 'UDP' : 'TCP', port: typeof p.exposedPort === 'number' ? p.exposedPort : p.port };
    }
  }
  return out;
}
