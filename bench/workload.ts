import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { Manifest, SynthesizedObject } from '../lib';

/** The apps every variant of the benchmark synthesizes: N web apps with every default on. */
export interface BenchApp {
  readonly id: string;
  readonly image: string;
  readonly host: string;
  readonly port: number;
}

/** The i-th app of the benchmark. */
export function benchApp(i: number): BenchApp {
  return { id: `app-${i}`, image: `ghcr.io/example/app-${i}:1.0.${i % 10}`, host: `app-${i}.example.com`, port: 8080 };
}

/**
 * The documents AppStack emits for one app, written as plain objects (keys
 * sorted the way cdk8s sorts them): the YAML lower bound serializes exactly
 * these. A test checks that they equal AppStack's output.
 */
export function plainDocuments(a: BenchApp): Record<string, unknown>[] {
  // Fresh objects at each use, so YAML writes no anchors, as for synthesized objects.
  const selector = () => ({ 'app.kubernetes.io/instance': a.id, 'app.kubernetes.io/name': a.id });
  const labels = () => ({ 'app.kubernetes.io/instance': a.id, 'app.kubernetes.io/managed-by': 'cdk8s-homelab', 'app.kubernetes.io/name': a.id });
  const probe = (periodSeconds: number) => ({ failureThreshold: 3, periodSeconds, tcpSocket: { port: a.port }, timeoutSeconds: 2 });
  const match = `Host(\`${a.host}\`)`;
  const service = () => ({ kind: 'Service', name: a.id, namespace: a.id, port: 80 });
  const pss = () => ({
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'v1.28',
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'v1.28',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'v1.28',
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { ...labels(), ...pss() }, name: a.id } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { labels: labels(), name: 'default-deny-ingress', namespace: a.id },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { labels: labels(), name: 'allow-from-traefik', namespace: a.id },
      spec: {
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
              },
            ],
            ports: [{ port: a.port, protocol: 'TCP' }],
          },
        ],
        podSelector: { matchLabels: selector() },
        policyTypes: ['Ingress'],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: labels(), name: a.id, namespace: a.id },
      spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: a.port }], selector: selector(), type: 'ClusterIP' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels: labels(), name: a.id, namespace: a.id },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector() },
        template: {
          metadata: { labels: labels() },
          spec: {
            automountServiceAccountToken: false,
            containers: [
              {
                image: a.image,
                livenessProbe: probe(20),
                name: a.id,
                ports: [{ containerPort: a.port, name: 'http', protocol: 'TCP' }],
                readinessProbe: probe(10),
                resources: { limits: { memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
                volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
              },
            ],
            securityContext: { fsGroup: 10001, runAsGroup: 10001, runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            volumes: [{ emptyDir: {}, name: 'tmp' }],
          },
        },
      },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { labels: labels(), name: 'https-redirect', namespace: a.id },
      spec: { redirectScheme: { permanent: true, scheme: 'https' } },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { labels: labels(), name: 'security-headers', namespace: a.id },
      spec: {
        headers: {
          contentTypeNosniff: true,
          frameDeny: true,
          referrerPolicy: 'strict-origin-when-cross-origin',
          stsIncludeSubdomains: false,
          stsPreload: false,
          stsSeconds: 31536000,
        },
      },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { labels: labels(), name: `${a.id}-web`, namespace: a.id },
      spec: { entryPoints: ['web'], routes: [{ kind: 'Rule', match, middlewares: [{ name: 'https-redirect', namespace: a.id }], services: [service()] }] },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { labels: labels(), name: `${a.id}-websecure`, namespace: a.id },
      spec: {
        entryPoints: ['websecure'],
        routes: [{ kind: 'Rule', match, middlewares: [{ name: 'security-headers', namespace: a.id }], services: [service()] }],
        tls: { certResolver: 'letsencrypt' },
      },
    },
  ];
}

/** The documents of `plainDocuments` as the synthesized objects of app `a`, as the checks take them. */
export function plainObjects(a: BenchApp): SynthesizedObject[] {
  return plainDocuments(a).map((d, k) => ({ app: a.id, path: `${a.id}/${k}`, manifest: d as Manifest }));
}

/**
 * One app as a plain cdk8s construct tree of AppStack's shape: a Chart, a
 * Construct per part (namespace, network policy, service, deployment, both
 * middlewares, route), and one ApiObject per document of `plainDocuments`.
 * No checks and no construct of ours: the memory floor of any design that
 * keeps one ApiObject per manifest. Returns the objects in file order.
 */
export function constructTreeApp(scope: Construct, a: BenchApp): ApiObject[] {
  const chart = new Chart(scope, a.id, { disableResourceNameHashes: true });
  const parts = ['Namespace', 'NetworkPolicy', 'Service', 'Deployment', 'HttpsRedirect', 'SecurityHeaders', 'Route'].map((id) => new Construct(chart, id));
  // The part each document belongs to, in the order plainDocuments lists them.
  const partOf = [0, 1, 1, 2, 3, 4, 5, 6, 6];
  return plainDocuments(a).map((doc, k) => new ApiObject(parts[partOf[k]], `Resource${k}`, doc as { apiVersion: string; kind: string }));
}
