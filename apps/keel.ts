import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { HelmChartRelease } from '../lib';

/** Keel, which rolls out new image versions of the apps that set autoUpdate. */
export function keel(scope: Construct): Chart {
  const chart = new Chart(scope, 'keel', { disableResourceNameHashes: true });
  new HelmChartRelease(chart, 'Chart', {
    name: 'keel',
    repo: 'https://charts.keel.sh',
    chart: 'keel',
    version: '1.0.5',
    targetNamespace: 'keel',
    values: { helmProvider: { enabled: false }, polling: { enabled: true } },
  });
  return chart;
}
