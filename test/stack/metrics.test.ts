import { describe, expect, it } from 'vitest';
import { AppStack, HomelabApp, type Manifest } from '../../lib';
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

  it('fails on a relative path, an interval Prometheus cannot read, or a misspelled option', () => {
    expect(() => cluster({ metrics: { path: 'metrics', interval: '30 seconds', intervall: '1m' } })).toThrow(
      /props\.metrics\.intervall "1m" is not a prop of AppMetrics; did you mean "interval"\?/,
    );
    expect(() => cluster({ metrics: { path: 'metrics', interval: '30 seconds' } })).toThrow(
      /props\.metrics\.path "metrics" is not an absolute path; write it from the root, e\.g\. \/metrics[\s\S]*props\.metrics\.interval "30 seconds" is not a Prometheus duration; write e\.g\. 30s or 1m/,
    );
  });
});
