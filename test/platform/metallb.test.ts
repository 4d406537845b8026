import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppStack, HomelabApp, k3s, type Manifest, MetalLbPool } from '../../lib';
import { find } from '../helpers';

const MQTT = { image: 'eclipse-mosquitto:2.0.20', port: 1883, expose: 'loadBalancer' as const };

function cluster(build: (app: HomelabApp) => void): { all: Manifest[]; app: HomelabApp } {
  const app = new HomelabApp({ outdir: '/nonexistent', failFast: true, profile: k3s({ loadBalancer: 'metallb' }) });
  build(app);
  return { app, all: app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest)) };
}

describe('MetalLB', () => {
  it('declares an address pool announced on the LAN, and gives an app an address of it', () => {
    const { all } = cluster((app) => {
      new MetalLbPool(new Chart(app, 'metallb'), 'Lan', { name: 'lan', addresses: ['192.168.1.240-192.168.1.250', '10.0.50.0/28'] });
      new AppStack(app, 'mqtt', { ...MQTT, loadBalancer: { pool: 'lan', address: '192.168.1.241' } });
    });
    expect(find(all, 'IPAddressPool', 'lan')).toMatchObject({
      metadata: { namespace: 'metallb-system' },
      spec: { addresses: ['192.168.1.240-192.168.1.250', '10.0.50.0/28'] },
    });
    expect(find(all, 'L2Advertisement', 'lan').spec).toEqual({ ipAddressPools: ['lan'] });
    expect(find(all, 'Service', 'mqtt').metadata.annotations).toEqual({ 'metallb.io/address-pool': 'lan', 'metallb.io/loadBalancerIPs': '192.168.1.241' });
  });

  it('fails if an app asks for a pool the cluster does not have, or an address outside its pool', () => {
    const build = (loadBalancer: { pool?: string; address?: string }) => () =>
      cluster((app) => {
        new MetalLbPool(new Chart(app, 'metallb'), 'Lan', { name: 'lan', addresses: ['192.168.1.240-192.168.1.250'] });
        new AppStack(app, 'mqtt', { ...MQTT, loadBalancer });
      });
    expect(build({ pool: 'wan' })).toThrow(
      /mqtt: Service\/mqtt metadata\.annotations\["metallb\.io\/address-pool"\] "wan" is not an IPAddressPool of the cluster; use one of: lan/,
    );
    expect(build({ pool: 'lan', address: '192.168.1.10' })).toThrow(
      /metadata\.annotations\["metallb\.io\/loadBalancerIPs"\] "192\.168\.1\.10" is in no range of pool lan; use an address of lan \(192\.168\.1\.240-192\.168\.1\.250\)/,
    );
    expect(build({ address: '192.168.1.300' })).toThrow(/props\.loadBalancer\.address "192\.168\.1\.300" is not an IP address/);
  });

  it('fails on a range MetalLB cannot read, and warns when no pool is in the output', () => {
    expect(() =>
      cluster((app) => new MetalLbPool(new Chart(app, 'metallb'), 'Lan', { name: 'lan', addresses: ['192.168.1.250-192.168.1.240', 'lan'] })),
    ).toThrow(/props\.addresses\[0\] "192\.168\.1\.250-192\.168\.1\.240" is not a CIDR range nor an IPv4 range[\s\S]*props\.addresses\[1\] "lan"/);
    const { app } = cluster((a) => new AppStack(a, 'mqtt', { ...MQTT, loadBalancer: { pool: 'lan' } }));
    expect(app.warnings.map((w) => w.warning)).toContain('HL-undeclared-address-pool');
  });

  it("fails where the profile has no MetalLB: K3s's ServiceLB has no pools, and a cluster without a load balancer gives no address", () => {
    const on = (profile: ReturnType<typeof k3s>, build: (app: HomelabApp) => void) => () => {
      const app = new HomelabApp({ outdir: '/nonexistent', profile });
      build(app);
      app.synthFiles();
    };
    expect(on(k3s(), (app) => new AppStack(app, 'mqtt', MQTT))).not.toThrow();
    expect(on(k3s(), (app) => new AppStack(app, 'mqtt', { ...MQTT, loadBalancer: { pool: 'lan' } }))).toThrow(
      /mqtt: props\.loadBalancer \{"pool":"lan"\} needs MetalLB, and on the k3s profile ServiceLB gives LoadBalancer Services the nodes' addresses \(no pools, no fixed address\); drop loadBalancer, or disable ServiceLB, install MetalLB and use k3s\(\{ loadBalancer: "metallb" \}\)/,
    );
    expect(on(k3s(), (app) => new MetalLbPool(new Chart(app, 'metallb'), 'Lan', { name: 'lan', addresses: ['192.168.1.240/28'] }))).toThrow(
      /metallb: props "lan" declares a MetalLB pool, and the k3s profile says LoadBalancer Services get their address from ServiceLB/,
    );
    expect(on(k3s({ loadBalancer: 'none' }), (app) => new AppStack(app, 'mqtt', MQTT))).toThrow(
      /mqtt: props\.expose "loadBalancer" would never get an address: the k3s profile has no load balancer/,
    );
  });
});
