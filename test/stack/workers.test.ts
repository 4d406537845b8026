import { describe, expect, it } from 'vitest';
import { AppStack, type AppStackProps } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

const WORKER = { image: 'ghcr.io/julesfrn/mailer:1.2.0', expose: 'none' as const };

function build(props: Partial<AppStackProps>) {
  const app = newApp();
  const stack = new AppStack(app, 'mailer', untyped({ ...WORKER, ...props }));
  return { stack, all: manifests(app) };
}

describe('apps without a port (queue workers)', () => {
  it('run with no Service, no probes, and nothing let in', () => {
    const { stack, all } = build({});
    expect(all.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Namespace/mailer', 'NetworkPolicy/default-deny-ingress', 'Deployment/mailer']);
    expect(stack.service).toBeUndefined();
    const container = at(find(all, 'Deployment', 'mailer'), 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>;
    expect([container.ports, container.readinessProbe, container.livenessProbe]).toEqual([undefined, undefined, undefined]);
  });

  it('serve their metrics port alone when they have one: a Service for it, scraped, Prometheus let in on it only', () => {
    const { all } = build({ metrics: { port: 9090 } });
    expect(at(find(all, 'Service', 'mailer'), 'spec', 'ports')).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 9090 }]);
    expect(at(find(all, 'ServiceMonitor', 'mailer'), 'spec', 'endpoints', 0, 'port')).toBe('http');
    expect(at(find(all, 'NetworkPolicy', 'allow-from-prometheus'), 'spec', 'ingress', 0, 'ports')).toEqual([{ port: 9090, protocol: 'TCP' }]);
  });

  it('fail where something must reach a port', () => {
    expect(() => build({ expose: 'https', host: 'mailer.example.com' } as Partial<AppStackProps>)).toThrow(
      /mailer: props\.port is required with expose: "https"; give the port the container listens on; only an app with expose: "none" \(a worker\) may have none/,
    );
    expect(() => build({ allowFrom: [{ namespace: 'web' }], metrics: {}, stateful: true })).toThrow(
      /props\.allowFrom .* lets apps reach a port, and the app has none[\s\S]*props\.metrics \{\} needs a port to scrape[\s\S]*props\.stateful true needs a port/,
    );
  });
});
