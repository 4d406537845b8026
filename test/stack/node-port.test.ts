import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppService, AppStack, type AppStackProps } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

const DNS = { image: 'adguard/adguardhome:v0.107.55', port: 3000, expose: 'nodePort' as const };

describe("expose: 'nodePort'", () => {
  it('opens a high port of every node to the app, and lets anyone in on the app port', () => {
    const app = newApp();
    new AppStack(app, 'adguard', { ...DNS, nodePort: 30053 });
    const all = manifests(app);
    expect(at(find(all, 'Service', 'adguard'), 'spec')).toMatchObject({
      type: 'NodePort',
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 3000, nodePort: 30053 }],
    });
    expect(at(find(all, 'NetworkPolicy', 'allow-from-anywhere'), 'spec', 'ingress')).toEqual([{ ports: [{ port: 3000, protocol: 'TCP' }] }]);
    expect(all.some((m) => m.kind === 'IngressRoute')).toBe(false);
  });

  it('fails on a port outside the node port range, a node port on another exposure, and two Services on one node port', () => {
    const build = (props: Partial<AppStackProps>) => () => {
      const app = newApp();
      new AppStack(app, 'adguard', untyped({ ...DNS, ...props }));
      manifests(app);
    };
    expect(build({ nodePort: 8080 })).toThrow(/adguard: props\.nodePort 8080 is not a node port; use a port from 30000 to 32767/);
    expect(build(untyped({ expose: 'https', host: 'dns.example.com', nodePort: 30053 }))).toThrow(
      /adguard: props\.nodePort 30053 only applies to expose: "nodePort" or "loadBalancer", not "https"; drop it, or use expose: "nodePort"/,
    );
    expect(() => {
      const app = newApp();
      new AppStack(app, 'adguard', { ...DNS, nodePort: 30053 });
      new AppService(new Chart(app, 'other'), 'S', {
        name: 'other',
        namespace: 'other',
        selector: { a: 'b' },
        targetPort: 53,
        type: 'NodePort',
        nodePort: 30053,
      });
      manifests(app);
    }).toThrow(/other: Service\/other spec\.ports\[0\]\.nodePort 30053 is already the node port of Service adguard\/adguard/);
    expect(() => new AppService(new Chart(newApp(), 'c'), 'S', { name: 'x', namespace: 'x', selector: { a: 'b' }, targetPort: 53, nodePort: 30053 })).toThrow(
      /props\.nodePort 30053 only applies to a NodePort or LoadBalancer Service; set type, or drop nodePort/,
    );
  });
});
