import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppDaemonSet, AppNamespace, AppNetworkPolicy, Probe, recommendedLabels, selectorLabels, Volume } from '../lib';

const REASON = "node-exporter reads the node's /proc, /sys and filesystems from the host network";

/** Node metrics on every node (Raspberry Pis included): a node agent, built from the small constructs. */
export function nodeExporter(scope: Construct): Chart {
  const chart = new Chart(scope, 'node-exporter', { disableResourceNameHashes: true });
  const labels = recommendedLabels('node-exporter');
  new AppNamespace(chart, 'Namespace', { name: 'monitoring', labels, podSecurity: 'privileged', podSecurityReason: REASON });
  new AppNetworkPolicy(chart, 'NetworkPolicy', {
    namespace: 'monitoring',
    podSelector: selectorLabels('node-exporter'),
    port: 9100,
    ingressController: false,
    labels,
  });
  new AppDaemonSet(chart, 'DaemonSet', {
    name: 'node-exporter',
    namespace: 'monitoring',
    selector: selectorLabels('node-exporter'),
    labels,
    image: 'quay.io/prometheus/node-exporter:v1.8.2',
    port: 9100,
    args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--web.listen-address=:9100'],
    hostNetwork: true,
    hostPID: true,
    mounts: [
      { volume: Volume.hostPath('proc', '/proc'), mountPath: '/host/proc' },
      { volume: Volume.hostPath('sys', '/sys'), mountPath: '/host/sys' },
      { volume: Volume.hostPath('root', '/'), mountPath: '/host/root' },
    ],
    security: { profile: 'privileged', reason: REASON, runAsUser: 65534, runAsGroup: 65534 },
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    resources: { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '64Mi' },
    readiness: Probe.http('/'),
  });
  return chart;
}
