/**
 * Pure checks of the values Kubernetes and Traefik are strict about. Each
 * returns true when the value is acceptable; the callers word the errors.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\d+))?$/;
const CERT_RESOLVER = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const PATH_PREFIX = /^\/[-\w./~%]*$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters (Namespace names). */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1035 label: a DNS-1123 label that starts with a letter (Service names). */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** A DNS-1123 subdomain: dot-separated labels of at most 63 characters, at most 253 in all (most object names). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/**
 * A host name Traefik's `Host()` matcher and an ACME certificate can serve:
 * a lowercase DNS-1123 subdomain with at least two labels, no wildcard.
 */
export function isHostname(value: string): boolean {
  return isDnsSubdomain(value) && value.includes('.') && !/^\d+(\.\d+){3}$/.test(value);
}

/** A Kubernetes label key (optional DNS-subdomain prefix, '/' and a name of at most 63 characters). */
export function isLabelKey(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) {
    return false;
  }
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** A Kubernetes label value: empty, or at most 63 alphanumerics, '-', '_' and '.' starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** A TCP/UDP port number: an integer from 1 to 65535. */
export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

/** The name of a Service port: at most 15 lowercase letters, digits and "-" (a DNS label that short). */
export function isServicePortName(value: string): boolean {
  return PORT_NAME.test(value);
}

/** The name of a container port (an IANA service name): a Service port name with at least one letter. */
export function isContainerPortName(value: string): boolean {
  return PORT_NAME.test(value) && /[a-z]/.test(value);
}

/** An IPv4 or IPv6 address, optionally with a prefix length (`10.8.0.0/24`, `fd00::/8`). */
export function isCidr(value: string): boolean {
  const [ip, prefix, ...rest] = value.split('/');
  if (rest.length > 0) {
    return false;
  }
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(ip);
  const v6 =
    !v4 &&
    /^[0-9a-fA-F:]+$/.test(ip) &&
    ip.includes(':') &&
    (ip.match(/::/g) ?? []).length <= 1 &&
    ip.split(':').every((g) => g.length <= 4) &&
    (ip.includes('::') ? ip.split(':').length <= 8 : ip.split(':').length === 8);
  if (!v4 && !v6) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  const n = Number(prefix);
  return /^\d+$/.test(prefix) && n <= (v4 ? 32 : 128);
}

/**
 * A URL path prefix a route can match and a Middleware can strip: `/` then
 * path characters, e.g. `/api` (`/` alone is the whole site, not a prefix).
 */
export function isPathPrefix(value: string): boolean {
  return PATH_PREFIX.test(value) && value !== '/';
}

/** A name Traefik takes for a certificate resolver, e.g. `letsencrypt`. */
export function isCertResolverName(value: string): boolean {
  return CERT_RESOLVER.test(value);
}

/** A Kubernetes resource quantity such as `100m`, `64Mi` or `1.5`. */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

/** An environment variable name Kubernetes accepts (C identifier characters plus '-' and '.'). */
export function isEnvName(value: string): boolean {
  return ENV_NAME.test(value);
}

/** The parts of a container image reference. */
export interface ImageReference {
  /** Registry host (with port) when the reference names one, e.g. `ghcr.io`. */
  readonly registry?: string;
  /** Repository path, e.g. `julesfrn/gazette`. */
  readonly repository: string;
  /** Tag, when given. */
  readonly tag?: string;
  /** Digest, when given, e.g. `sha256:...`. */
  readonly digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const REGISTRY = /^(localhost|([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(:\d+)?$/;

/**
 * Parses an image reference the way container runtimes do
 * (`[registry/]path[:tag][@digest]`). Returns undefined when it is not valid.
 */
export function parseImage(ref: string): ImageReference | undefined {
  if (ref.length === 0 || ref.length > 255 || /\s/.test(ref)) {
    return undefined;
  }
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      return undefined;
    }
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      return undefined;
    }
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift();
    if (registry === undefined || !REGISTRY.test(registry)) {
      return undefined;
    }
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) {
    return undefined;
  }
  return { registry, repository: parts.join('/'), tag, digest };
}

/** Why an image reference floats, and the same image pinned, for the fix. */
export interface FloatingImage {
  /** Why it floats: `has no tag, so it means "latest"` or `is tagged "latest"`. */
  readonly message: string;
  /** The same image pinned to an example version, e.g. `ghcr.io/owner/app:1.2.3`. */
  readonly pinned: string;
}

/**
 * Whether an image floats: no digest, and no tag or the tag `latest`, so what
 * runs changes under the cluster's feet. Undefined when it is pinned.
 */
export function floatingImage(ref: ImageReference): FloatingImage | undefined {
  if (ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest')) {
    return undefined;
  }
  return {
    message: ref.tag === undefined ? 'has no tag, so it means "latest"' : 'is tagged "latest"',
    pinned: `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}:1.2.3`,
  };
}

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a quantity (`64Mi` -> 67108864), or undefined when it is not one. */
export function quantityValue(value: string): number | undefined {
  if (!isQuantity(value)) {
    return undefined;
  }
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(value);
  if (!m) {
    return undefined;
  }
  const suffix = m[2];
  if (/^[eE]/.test(suffix)) {
    return Number(m[1] + suffix);
  }
  return Number(m[1]) * SUFFIX[suffix];
}

/**
 * Whether a certificate name covers a host: equal, or a wildcard
 * `*.example.com` that covers exactly one more label (`a.example.com`).
 */
export function certNameCovers(certName: string, host: string): boolean {
  if (certName === host) {
    return true;
  }
  if (certName.startsWith('*.')) {
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === certName.slice(2);
  }
  return false;
}

/** `text` matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The descriptors of robfig/cron (Kubernetes CronJobs and Keel): `@daily` and the like. */
export const CRON_DESCRIPTORS: ReadonlySet<string> = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

const GO_DURATION = /^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/;

/** Whether Go's `time.ParseDuration` reads `text` (as `@every <duration>` takes it), e.g. `1h30m`, `90s`. */
export function isGoDuration(text: string): boolean {
  return GO_DURATION.test(text);
}

/** An IPv4 address as a number, or undefined when it is not one. */
export function ipv4Number(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(p))) {
    return undefined;
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** The first and last IPv4 address of a pool entry (`192.168.1.0/24` or `192.168.1.240-192.168.1.250`), or undefined when it is neither (IPv6 included). */
export function ipv4Range(entry: string): [number, number] | undefined {
  const dash = entry.split('-');
  if (dash.length === 2) {
    const [a, b] = dash.map((x) => ipv4Number(x.trim()));
    return a !== undefined && b !== undefined && a <= b ? [a, b] : undefined;
  }
  const [ip, prefix] = entry.split('/');
  const base = ipv4Number(ip);
  const bits = Number(prefix);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    return undefined;
  }
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return [start, start + size - 1];
}

/** Whether `entry` is an address pool entry MetalLB takes: a CIDR range (IPv4 or IPv6) or an IPv4 range `a-b`. */
export function isAddressPoolEntry(entry: string): boolean {
  return isCidr(entry) || ipv4Range(entry) !== undefined;
}

/** Whether `value` is an IPv4 or IPv6 address (no prefix). */
export function isIpAddress(value: string): boolean {
  return !value.includes('/') && isCidr(value);
}

/** Whether `value` looks like an email address (an ACME account's, say). */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** Whether `value` is a Prometheus duration, e.g. `30s`, `1m` or `1h30m`. */
export function isPrometheusDuration(value: string): boolean {
  return /^(\d+(ms|s|m|h))+$/.test(value);
}
