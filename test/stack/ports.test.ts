import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppStack, type AppStackProps, genericProfile, HomelabError, k3s, type Manifest, TraefikConfig, type TraefikConfigProps } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

const BLOCKY = { image: 'ghcr.io/0xerr0r/blocky:v0.26.2', port: 4000, host: 'dns.example.com' };
const DNS_ENTRY_POINTS: TraefikConfigProps['entryPoints'] = [
  { name: 'dns-udp', port: 53, protocol: 'UDP' },
  { name: 'dot', port: 853 },
];

function build(props: Partial<AppStackProps>, traefik?: Partial<TraefikConfigProps>): Manifest[] {
  const app = newApp();
  if (traefik) {
    new TraefikConfig(new Chart(app, 'traefik'), 'Config', { acme: [{ email: 'acme@example.com' }], ...traefik });
  }
  new AppStack(app, 'blocky', untyped({ ...BLOCKY, ...props }));
  return manifests(app);
}

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof HomelabError) {
      return e.problems.map((p) => `${p.field} ${JSON.stringify(p.value)} ${p.message}`);
    }
    throw e;
  }
  return [];
}

describe('several ports and protocols', () => {
  it('serves DNS on 53/TCP and 53/UDP on a LoadBalancer Service of its own, open to any client, the web UI through Traefik', () => {
    const all = build({
      ports: [
        { name: 'dns-tcp', port: 53, expose: 'loadBalancer' },
        { name: 'dns-udp', port: 53, protocol: 'UDP', expose: 'loadBalancer' },
      ],
    });
    const dns = [
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 },
    ];
    expect(at(find(all, 'Service', 'blocky-lb'), 'spec')).toMatchObject({ type: 'LoadBalancer', ports: dns });
    expect(at(find(all, 'Service', 'blocky'), 'spec')).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 4000 }, ...dns] });
    const pod = at(find(all, 'Deployment', 'blocky'), 'spec', 'template', 'spec') as Record<string, unknown>;
    expect(at(pod, 'containers', 0, 'ports')).toEqual([
      { name: 'http', containerPort: 4000, protocol: 'TCP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      { name: 'dns-udp', containerPort: 53, protocol: 'UDP' },
    ]);
    // Non-root on port 53: the safe sysctl, not root.
    expect(at(pod, 'securityContext', 'sysctls')).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-anywhere'), 'spec', 'ingress')).toEqual([
      {
        ports: [
          { port: 53, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
    ]);
    // Traefik still reaches the web UI only.
    expect(at(find(all, 'NetworkPolicy', 'allow-from-traefik'), 'spec', 'ingress', 0, 'ports')).toEqual([{ port: 4000, protocol: 'TCP' }]);
  });

  it('routes a port through a Traefik entry point: IngressRouteUDP for UDP, IngressRouteTCP for TCP, Traefik let in on each', () => {
    const all = build(
      {
        ports: [
          { name: 'dns-udp', port: 53, protocol: 'UDP', expose: { entryPoint: 'dns-udp' } },
          { name: 'dot', port: 853, expose: { entryPoint: 'dot' } },
        ],
      },
      { entryPoints: DNS_ENTRY_POINTS },
    );
    expect(at(find(all, 'IngressRouteUDP', 'blocky-dns-udp'), 'spec')).toEqual({
      entryPoints: ['dns-udp'],
      routes: [{ services: [{ name: 'blocky', namespace: 'blocky', port: 53 }] }],
    });
    expect(at(find(all, 'IngressRouteTCP', 'blocky-dot'), 'spec')).toEqual({
      entryPoints: ['dot'],
      routes: [{ match: 'HostSNI(`*`)', services: [{ name: 'blocky', namespace: 'blocky', port: 853 }] }],
    });
    expect(at(find(all, 'NetworkPolicy', 'allow-from-traefik'), 'spec', 'ingress', 0, 'ports')).toEqual([
      { port: 4000, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
      { port: 853, protocol: 'TCP' },
    ]);
    // The entry points are Traefik chart ports, exposed on its Service, listening unprivileged in its pod.
    const values = parse(at(find(all, 'HelmChartConfig', 'traefik'), 'spec', 'valuesContent') as string) as Record<string, unknown>;
    expect(values.ports).toEqual({
      'dns-udp': { port: 8053, exposedPort: 53, expose: { default: true }, protocol: 'UDP' },
      dot: { port: 8853, exposedPort: 853, expose: { default: true }, protocol: 'TCP' },
    });
  });

  it('lets the apps of allowFrom reach its cluster ports, with their protocol', () => {
    const all = build({ expose: 'none', host: undefined, ports: [{ name: 'syslog', port: 5514, protocol: 'UDP' }], allowFrom: [{ namespace: 'monitoring' }] });
    expect(at(find(all, 'NetworkPolicy', 'allow-from-monitoring'), 'spec', 'ingress', 0, 'ports')).toEqual([
      { port: 4000, protocol: 'TCP' },
      { port: 5514, protocol: 'UDP' },
    ]);
    expect(all.filter((m) => m.kind === 'Service').map((m) => m.metadata.name)).toEqual(['blocky']);
  });

  it("puts the loadBalancer ports on the app's own Service when the app is a LoadBalancer", () => {
    const all = build({
      expose: 'loadBalancer',
      servicePort: 4000,
      host: undefined,
      ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP', expose: 'loadBalancer' }],
    });
    expect(all.filter((m) => m.kind === 'Service').map((m) => m.metadata.name)).toEqual(['blocky']);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-anywhere'), 'spec', 'ingress', 0, 'ports')).toEqual([
      { port: 4000, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ]);
  });

  it('refuses ports it could not serve, each problem named', () => {
    expect(
      problems(() =>
        build({
          ports: [
            { name: 'dns', port: 53, protocol: 'SCTP' as 'TCP' },
            { name: 'dns-tcp', port: 4000 },
            { name: 'dns-udp', port: 53, protocol: 'UDP', loadBalancer: { address: '192.168.1.53' } },
            { name: 'again', port: 53, protocol: 'UDP', expose: 'public' as 'cluster' },
            { name: 'lb1', port: 54, expose: 'loadBalancer', loadBalancer: { address: 'nas' } },
          ],
        }),
      ),
    ).toEqual([
      'props.ports[0].protocol "SCTP" must be "TCP" or "UDP"',
      'props.ports[1].port 4000 is the main port',
      'props.ports[3].port 53 is declared twice for UDP',
      'props.ports[2].loadBalancer {"address":"192.168.1.53"} only applies to a port with expose: "loadBalancer"',
      'props.ports[3].expose "public" must be "cluster", "loadBalancer" or { entryPoint }',
      'props.ports[4].loadBalancer.address "nas" is not an IP address',
      'props.ports[4].loadBalancer {"address":"nas"} needs MetalLB, and on the k3s profile ServiceLB gives LoadBalancer Services the nodes\' addresses (no pools, no fixed address)',
    ]);
    expect(problems(() => build({ expose: 'none', host: undefined, port: undefined, ports: [{ name: 'dns', port: 53 }] }))).toEqual([
      'props.ports ["dns"] need the app\'s own port (its Service is built around it)',
    ]);
    const app = newApp({ profile: genericProfile({ storageClass: 'longhorn', loadBalancer: 'none' }) });
    expect(
      problems(() => new AppStack(app, 'blocky', { ...BLOCKY, expose: 'none', host: undefined, ports: [{ name: 'dns', port: 53, expose: 'loadBalancer' }] })),
    ).toEqual(['props.ports[0].expose "loadBalancer" would never get an address: the generic profile has no load balancer (loadBalancer: "none")']);
  });

  it('fails a TCP or UDP route whose entry point Traefik does not declare, or declares for the other protocol', () => {
    expect(
      problems(() =>
        build(
          {
            ports: [
              { name: 'dns-udp', port: 53, protocol: 'UDP', expose: { entryPoint: 'dot' } },
              { name: 'mqtt', port: 1883, expose: { entryPoint: 'mqtt' } },
            ],
          },
          { entryPoints: DNS_ENTRY_POINTS },
        ),
      ),
    ).toEqual([
      'IngressRouteUDP/blocky-dns-udp spec.entryPoints[0] "dot" is a TCP entry point, and a IngressRouteUDP needs a UDP one',
      'IngressRouteTCP/blocky-mqtt spec.entryPoints[0] "mqtt" is not an entry point of the Traefik configuration (it has web, websecure, dns-udp, dot)',
    ]);
    expect(
      problems(() =>
        build(
          {},
          {
            entryPoints: [
              { name: 'websecure', port: 8443 },
              { name: 'dns', port: 443 },
              { name: 'Dns_Udp', port: 53, protocol: 'UDP', containerPort: 80 },
            ],
          },
        ),
      ),
    ).toEqual([
      'props.entryPoints[0].name "websecure" is already an entry point of Traefik',
      'props.entryPoints[0].containerPort "8443/TCP" is already the containerPort of entry point websecure',
      'props.entryPoints[1].port "443/TCP" is already the port of entry point websecure',
      'props.entryPoints[1].containerPort "8443/TCP" is already the containerPort of entry point websecure',
      'props.entryPoints[2].name "Dns_Udp" is not a valid entry point name (it names a port of Traefik\'s pod)',
      'props.entryPoints[2].containerPort 80 must be from 1024 to 65535 (Traefik runs as non-root)',
    ]);
  });

  it('refuses, under ServiceLB, a LoadBalancer port another Service or Traefik already takes on every node; MetalLB gives each its own address', () => {
    const dns = { image: BLOCKY.image, port: 4000, expose: 'none' as const };
    const app = newApp();
    new AppStack(app, 'blocky', { ...dns, ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP', expose: 'loadBalancer' }] });
    new AppStack(app, 'adguard', { ...dns, ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP', expose: 'loadBalancer' }] });
    new AppStack(app, 'dnsmasq', { ...dns, ports: [{ name: 'dns-tcp', port: 53, expose: 'loadBalancer' }] });
    new AppStack(app, 'tls', { ...dns, ports: [{ name: 'https', port: 443, expose: 'loadBalancer' }] });
    expect(problems(() => manifests(app))).toEqual([
      "Service/adguard-lb spec.ports[0].port 53 is already taken on every node by Service blocky/blocky-lb: ServiceLB gives LoadBalancer Services the nodes' addresses, so one UDP port serves one Service",
      "Service/tls-lb spec.ports[0].port 443 is already taken on every node by Traefik's LoadBalancer Service (entry point websecure): ServiceLB gives LoadBalancer Services the nodes' addresses, so one TCP port serves one Service",
    ]);
    const metallb = newApp({ profile: k3s({ loadBalancer: 'metallb' }) });
    new AppStack(metallb, 'blocky', { ...dns, ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP', expose: 'loadBalancer' }] });
    new AppStack(metallb, 'adguard', { ...dns, ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP', expose: 'loadBalancer' }] });
    expect(manifests(metallb).filter((m) => m.kind === 'Service' && at(m, 'spec', 'type') === 'LoadBalancer')).toHaveLength(2);
  });
});
