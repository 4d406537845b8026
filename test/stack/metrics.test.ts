import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppDeployment, AppService, AppStack, HomelabApp, type Manifest } from '../../lib';
import { at, find } from '../helpers';

const PROPS = { image: 'grafana/grafana:11.3.0', host: 'grafana.julesfournier.fr', port: 3000 };

function cluster(props: Record<string, unknown>): Manifest[] {
  const app = new HomelabApp({ outdir: '/nonexistent', failFast: true, cluster: { certResolvers: ['letsencrypt'] } });
  new AppStack(app, 'grafana', { ...PROPS, ...props });
  return app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
}

describe('AppStack metrics', () => {
  it('emits a ServiceMonitor of its Service and lets the monitoring namespace reach its port', () => {
    const all = cluster({ metrics: {} });
    expect(find(all, 'ServiceMonitor', 'grafana').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'grafana' } },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    });
    expect(at(find(all, 'NetworkPolicy', 'allow-from-prometheus'), 'spec', 'ingress')).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 3000, protocol: 'TCP' }] },
    ]);
    // The ServiceMonitor selects the Service (the serviceSelectors-like checks and the schema hold it).
    expect(find(all, 'Service', 'grafana').metadata.labels).toMatchObject(
      at(find(all, 'ServiceMonitor', 'grafana'), 'spec', 'selector', 'matchLabels') as Record<string, string>,
    );
  });

  it('takes a path, an interval and where Prometheus runs', () => {
    const all = cluster({
      metrics: {
        path: '/api/metrics',
        interval: '1m',
        scraper: { namespace: 'observability', podSelector: { 'app.kubernetes.io/name': 'prometheus' }, name: 'prom' },
      },
    });
    expect(at(find(all, 'ServiceMonitor', 'grafana'), 'spec', 'endpoints')).toEqual([{ port: 'http', path: '/api/metrics', interval: '1m' }]);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-prom'), 'spec', 'ingress', 0, 'from')).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ]);
  });

  it('serves metrics on a port of their own: a second container and Service port, the only one Prometheus may reach', () => {
    const all = cluster({ metrics: { port: 9090 } });
    expect(at(find(all, 'ServiceMonitor', 'grafana'), 'spec', 'endpoints')).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(at(find(all, 'Service', 'grafana'), 'spec', 'ports')).toEqual([
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 3000 },
      { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9090 },
    ]);
    expect(at(find(all, 'Deployment', 'grafana'), 'spec', 'template', 'spec', 'containers', 0, 'ports')).toEqual([
      { name: 'http', containerPort: 3000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-prometheus'), 'spec', 'ingress', 0, 'ports')).toEqual([{ port: 9090, protocol: 'TCP' }]);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-traefik'), 'spec', 'ingress', 0, 'ports')).toEqual([{ port: 3000, protocol: 'TCP' }]);
    // The app's own port is no second port.
    expect(at(find(cluster({ metrics: { port: 3000 } }), 'ServiceMonitor', 'grafana'), 'spec', 'endpoints', 0, 'port')).toBe('http');
    expect(() => cluster({ metrics: { port: 70000 } })).toThrow(/grafana: props\.metrics\.port 70000 must be an integer from 1 to 65535/);
  });

  it('AppDeployment and AppService take named ports beside the main one, and refuse bad ones', () => {
    const app = new HomelabApp({ outdir: '/nonexistent', failFast: true });
    const chart = new Chart(app, 'c');
    const selector = { app: 'x' };
    const bad = [
      { name: 'http', port: 9090 },
      { name: 'Metrics', port: 3000 },
    ];
    expect(() => new AppDeployment(chart, 'D', { name: 'x', namespace: 'x', image: 'nginx:1.27.0', port: 3000, selector, extraPorts: bad })).toThrow(
      /props\.extraPorts\[0\]\.name "http" is used twice[\s\S]*props\.extraPorts\[1\]\.name "Metrics" is not a valid port name[\s\S]*props\.extraPorts\[1\]\.port 3000 is the main port/,
    );
    expect(() => new AppService(chart, 'S', { name: 'x', namespace: 'x', selector, targetPort: 3000, extraPorts: [{ name: 'metrics', port: 0 }] })).toThrow(
      /props\.extraPorts\[0\]\.port 0 must be an integer from 1 to 65535/,
    );
  });

  it('fails on a relative path, an interval Prometheus cannot read, or a misspelled option', () => {
    expect(() => cluster({ metrics: { path: 'metrics', interval: '30 seconds', intervall: '1m' } })).toThrow(
      /props\.metrics\.intervall "1m" is not a prop of AppMetrics; did you mean "interval"\?/,
    );
    expect(() => cluster({ metrics: { path: 'metrics', interval: '30 seconds' } })).toThrow(
      /props\.metrics\.path "metrics" is not an absolute path; write it from the root, e\.g\. \/metrics[\s\S]*props\.metrics\.interval "30 seconds" is not a Prometheus duration; write e\.g\. 30s or 1m/,
    );
  });
});
