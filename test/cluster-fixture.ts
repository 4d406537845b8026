import { formatProblem, type Manifest, type Problem, type SynthesizedObject, validateManifests } from '../lib';

/**
 * A small valid cluster that passes every check and every policy rule: an app
 * with its namespace, network isolation, Service, hardened Deployment,
 * redirect and security headers, and an HTTPS route with certificate domains.
 * Indexes: 0 Namespace, 1 NetworkPolicy default-deny-ingress, 2 Service,
 * 3 Deployment, 4 Middleware https-redirect, 5 Middleware security-headers,
 * 6 IngressRoute, 7 NetworkPolicy allow-from-traefik.
 */
export function baseCluster(): Manifest[] {
  const labels = { 'app.kubernetes.io/name': 'blog', 'app.kubernetes.io/instance': 'blog' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blog', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: 'blog' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'blog', namespace: 'blog' },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'blog', namespace: 'blog', labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'blog',
                image: 'ghcr.io/example/blog:1.0.0',
                ports: [{ name: 'http', containerPort: 8080 }],
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                readinessProbe: { tcpSocket: { port: 8080 } },
                livenessProbe: { tcpSocket: { port: 8080 } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'https-redirect', namespace: 'blog' },
      spec: { redirectScheme: { scheme: 'https', permanent: true } },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'security-headers', namespace: 'blog' },
      spec: { headers: { stsSeconds: 31536000 } },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { name: 'blog-websecure', namespace: 'blog' },
      spec: {
        entryPoints: ['websecure'],
        routes: [
          {
            kind: 'Rule',
            match: 'Host(`blog.example.com`) || Host(`www.example.com`)',
            middlewares: [{ name: 'security-headers' }],
            services: [{ name: 'blog', port: 80 }],
          },
        ],
        tls: { certResolver: 'letsencrypt', domains: [{ main: 'example.com', sans: ['*.example.com'] }] },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-from-traefik', namespace: 'blog' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
              },
            ],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      },
    },
  ];
}

/** A fixture opened for editing in tests: every field reads as another Mutable. */
export interface Mutable {
  [key: string]: Mutable;
}
/** A manifest, opened for editing. */
export const m = (x: Manifest): Mutable => x as unknown as Mutable;
/** Any value, to be written into a Mutable (`m(all[3]).spec.replicas = leaf(2)`). */
export const leaf = (value: unknown): Mutable => value as Mutable;

/** Every problem (errors and warnings, formatted) of the base cluster after `mutate`. */
export function clusterProblems(mutate: (objects: Manifest[]) => Manifest[] | undefined, cluster = {}): string[] {
  return clusterFindings(mutate, cluster).map(formatProblem);
}

/** The raw problems of the base cluster after `mutate`. */
export function clusterFindings(mutate: (objects: Manifest[]) => Manifest[] | undefined, cluster = {}): Problem[] {
  const manifests = baseCluster();
  const mutated = mutate(manifests) ?? manifests;
  const objects: SynthesizedObject[] = mutated.map((manifest, i) => ({ app: 'blog', path: `fixture#${i + 1}`, manifest }));
  return validateManifests(objects, { cluster: { certResolvers: ['letsencrypt'], ...cluster } });
}
