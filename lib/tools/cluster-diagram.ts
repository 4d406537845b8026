import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Manifest, SynthesizedObject } from '../core/manifest';
import { asList, asObj, installedChartOf, namespaceOf, type Obj, podTemplates, providedServicesOf } from '../core/manifest-fields';
import { parseRule } from '../core/route-rules';
import { writeFileAtomically } from '../synth/atomic-output';
import { planOutdir } from '../synth/synthesizer';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);
const MIDDLEWARE_KINDS: [string, string][] = [
  ['redirectScheme', 'HTTPS redirect'],
  ['headers', 'security headers'],
  ['ipAllowList', 'IP allow list'],
  ['forwardAuth', 'SSO'],
  ['stripPrefix', 'strip prefix'],
];

/** A node of the diagram. */
interface Node {
  readonly id: string;
  readonly label: string;
  readonly shape: string;
  readonly color: string;
}

/**
 * The cluster as a Graphviz graph, grouped by namespace: hosts → routes →
 * middlewares → services → workloads → volumes and databases. Ids and
 * order are derived from the objects only, so the same cluster always gives
 * the same text.
 */
export function clusterDot(objects: readonly SynthesizedObject[], title = 'cluster'): string {
  const manifests = objects.map((o) => o.manifest);
  const workloads = manifests.filter((m) => WORKLOADS.has(m.kind));
  const graph = new Graph();
  addRoutes(graph, manifests);
  addServices(graph, manifests, workloads);
  addWorkloads(graph, workloads);
  addCharts(graph, manifests);
  addDatabaseUses(graph, manifests, workloads);
  return graph.toDot(title);
}

/** The nodes (per namespace), edges and hosts of the diagram, drawn as Graphviz text. */
class Graph {
  public readonly byNamespace = new Map<string, Node[]>();
  public readonly edges = new Set<string>();
  public readonly hosts = new Set<string>();

  /** The node id of an object. */
  public id(kind: string, ns: string, name: string): string {
    return JSON.stringify(`${kind}/${ns}/${name}`);
  }

  /** Adds a node to its namespace, unless one of that id is there. */
  public add(ns: string, node: Node): void {
    const list = this.byNamespace.get(ns) ?? [];
    if (!list.some((n) => n.id === node.id)) {
      list.push(node);
    }
    this.byNamespace.set(ns, list);
  }

  public edge(from: string, to: string, style = ''): void {
    this.edges.add(`  ${from} -> ${to}${style ? ` [${style}]` : ''};`);
  }

  /** The graph as Graphviz text: hosts, one cluster per namespace, then the edges, each sorted. */
  public toDot(title: string): string {
    const { byNamespace, edges, hosts } = this;
    const lines = [
      `digraph ${JSON.stringify(title)} {`,
      '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.6];',
      '  node [fontname="Helvetica", fontsize=10, style="filled", fillcolor="white"];',
      '  edge [color="#888888", arrowsize=0.6];',
    ];
    for (const host of [...hosts].sort()) {
      lines.push(`  ${JSON.stringify(`host/${host}`)} [label=${JSON.stringify(host)}, shape=note, color="#333333", fillcolor="#fff7d6"];`);
    }
    for (const namespace of [...byNamespace.keys()].sort()) {
      lines.push(
        `  subgraph ${JSON.stringify(`cluster_${namespace}`)} {`,
        `    label=${JSON.stringify(`namespace ${namespace}`)};`,
        '    style="rounded"; color="#bbbbbb";',
      );
      for (const n of [...(byNamespace.get(namespace) ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        lines.push(`    ${n.id} [label=${JSON.stringify(n.label)}, shape=${n.shape}, color=${JSON.stringify(n.color)}];`);
      }
      lines.push('  }');
    }
    lines.push(...[...edges].sort(), '}', '');
    return lines.join('\n');
  }
}

/** The label of a Middleware: what it does, and its name when that says something else. */
function middlewareLabel(m: Manifest): string {
  const spec = asObj(m.spec);
  const what = MIDDLEWARE_KINDS.find(([key]) => spec[key] !== undefined);
  const name = String(m.metadata.name);
  if (!what) {
    return name;
  }
  return what[1].toLowerCase().replace(/ /g, '-') === name.toLowerCase() ? what[1] : `${what[1]}\n${name}`;
}

/** The labels of a workload's pods. */
function podLabels(w: Manifest): Obj {
  return podTemplates(w)[0]?.labels ?? {};
}

/** Hosts → routes (IngressRoutes, IngressRouteTCPs, Ingresses) → middlewares → Services. */
function addRoutes(graph: Graph, manifests: readonly Manifest[]): void {
  const middlewares = new Map(manifests.filter((m) => m.kind === 'Middleware').map((m) => [`${namespaceOf(m)}/${m.metadata.name}`, m]));
  for (const m of manifests) {
    if (m.kind === 'IngressRoute' || m.kind === 'IngressRouteTCP' || m.kind === 'Ingress') {
      const routeId = graph.id(m.kind, namespaceOf(m), String(m.metadata.name));
      const entryPoints = Array.isArray(asObj(m.spec).entryPoints) ? (asObj(m.spec).entryPoints as string[]).join(', ') : m.kind;
      graph.add(namespaceOf(m), { id: routeId, label: `${m.metadata.name}\n(${entryPoints})`, shape: 'cds', color: '#4c78a8' });
      const routes =
        m.kind === 'Ingress'
          ? asList(asObj(m.spec).rules).map((r) => ({
              match: `Host(\`${String(r.host)}\`)`,
              middlewares: [] as Obj[],
              services: asList(asObj(r.http).paths).map((p) => asObj(asObj(p.backend).service)),
            }))
          : asList(asObj(m.spec).routes).map((r) => ({ match: String(r.match ?? ''), middlewares: asList(r.middlewares), services: asList(r.services) }));
      for (const r of routes) {
        for (const host of parseRule(r.match).hosts) {
          graph.hosts.add(host);
          graph.edge(JSON.stringify(`host/${host}`), routeId);
        }
        let from = routeId;
        for (const ref of r.middlewares) {
          const mwNs = typeof ref.namespace === 'string' ? ref.namespace : namespaceOf(m);
          const mw = middlewares.get(`${mwNs}/${String(ref.name)}`);
          const mwId = graph.id('Middleware', mwNs, String(ref.name));
          graph.add(mwNs, { id: mwId, label: mw ? middlewareLabel(mw) : String(ref.name), shape: 'hexagon', color: '#f58518' });
          graph.edge(from, mwId);
          from = mwId;
        }
        for (const s of r.services) {
          const svcNs = typeof s.namespace === 'string' ? s.namespace : namespaceOf(m);
          const svcId = graph.id('Service', svcNs, String(s.name));
          graph.add(svcNs, { id: svcId, label: `service\n${String(s.name)}`, shape: 'ellipse', color: '#54a24b' });
          graph.edge(from, svcId);
        }
      }
    }
  }
}

/** Services → the workloads they select. */
function addServices(graph: Graph, manifests: readonly Manifest[], workloads: readonly Manifest[]): void {
  const services = manifests.filter((m) => m.kind === 'Service');
  for (const svc of services) {
    const svcId = graph.id('Service', namespaceOf(svc), String(svc.metadata.name));
    graph.add(namespaceOf(svc), { id: svcId, label: `service\n${svc.metadata.name}`, shape: 'ellipse', color: '#54a24b' });
    const selector = asObj(asObj(svc.spec).selector);
    for (const w of workloads.filter((x) => namespaceOf(x) === namespaceOf(svc))) {
      const labels = podLabels(w);
      if (Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v)) {
        graph.edge(svcId, graph.id(w.kind, namespaceOf(w), String(w.metadata.name)));
      }
    }
  }
}

/** Workloads (databases drawn as cylinders) → their volumes. */
function addWorkloads(graph: Graph, workloads: readonly Manifest[]): void {
  for (const w of workloads) {
    const wId = graph.id(w.kind, namespaceOf(w), String(w.metadata.name));
    const database =
      asObj(w.metadata.labels)['app.kubernetes.io/component'] === 'database' || asObj(w.metadata.labels)['app.kubernetes.io/component'] === 'cache';
    graph.add(namespaceOf(w), {
      id: wId,
      label: `${w.kind}\n${w.metadata.name}`,
      shape: database ? 'cylinder' : 'box3d',
      color: database ? '#b279a2' : '#e45756',
    });
    const pod = podTemplates(w)[0]?.spec ?? {};
    for (const v of asList(pod.volumes)) {
      const claim = asObj(v.persistentVolumeClaim).claimName;
      if (typeof claim === 'string') {
        const vId = graph.id('PVC', namespaceOf(w), claim);
        graph.add(namespaceOf(w), { id: vId, label: `volume\n${claim}`, shape: 'folder', color: '#72b7b2' });
        graph.edge(wId, vId);
      }
    }
    for (const t of asList(asObj(w.spec).volumeClaimTemplates)) {
      const name = String(asObj(t.metadata).name);
      const vId = graph.id('PVC', namespaceOf(w), `${name}-${w.metadata.name}`);
      graph.add(namespaceOf(w), { id: vId, label: `volume per pod\n${name}`, shape: 'folder', color: '#72b7b2' });
      graph.edge(wId, vId);
    }
  }
}

/** Helm charts installed by helm-controller or Flux, with the Services they provide. */
function addCharts(graph: Graph, manifests: readonly Manifest[]): void {
  for (const chart of manifests) {
    const installed = installedChartOf(chart);
    if (installed === undefined) {
      continue;
    }
    const target = installed.targetNamespace;
    const chartId = graph.id('HelmChart', target, String(chart.metadata.name));
    graph.add(target, {
      id: chartId,
      label: `Helm chart\n${installed.chart} ${installed.version ?? ''}`.trim(),
      shape: 'component',
      color: '#9d755d',
    });
    for (const { namespace: svcNs = target, name: svcName } of providedServicesOf(chart)) {
      const svcId = graph.id('Service', svcNs, svcName);
      graph.add(svcNs, { id: svcId, label: `service\n${svcName}`, shape: 'ellipse', color: '#54a24b' });
      graph.edge(svcId, chartId);
    }
  }
}

/** An app that may reach a database (a NetworkPolicy lets it in) uses it: a dashed edge. */
function addDatabaseUses(graph: Graph, manifests: readonly Manifest[], workloads: readonly Manifest[]): void {
  for (const np of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
    const target = asObj(asObj(asObj(np.spec).podSelector).matchLabels);
    const db = workloads.find(
      (w) =>
        namespaceOf(w) === namespaceOf(np) &&
        Object.keys(target).length > 0 &&
        Object.entries(target).every(([k, v]) => podLabels(w)[k] === v) &&
        asObj(w.metadata.labels)['app.kubernetes.io/component'] !== undefined,
    );
    if (!db) {
      continue;
    }
    for (const from of asList(asObj(np.spec).ingress).flatMap((r) => asList(r.from))) {
      const peerNs = String(asObj(asObj(from.namespaceSelector).matchLabels)['kubernetes.io/metadata.name'] ?? namespaceOf(np));
      const peer = asObj(asObj(from.podSelector).matchLabels);
      for (const w of workloads.filter((x) => namespaceOf(x) === peerNs && x !== db && Object.entries(peer).every(([k, v]) => podLabels(x)[k] === v))) {
        graph.edge(graph.id(w.kind, namespaceOf(w), String(w.metadata.name)), graph.id(db.kind, namespaceOf(db), String(db.metadata.name)), 'style=dashed');
      }
    }
  }
}

/**
 * The key of a diagram: a hash of its Graphviz source and of the renderer's
 * version, written into the SVG so an unchanged diagram is not drawn again.
 */
function diagramKey(dot: string): string {
  const viz = createRequire(__filename).resolve('@viz-js/viz');
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(viz), '..', 'package.json'), 'utf8')) as { version: string };
  return `<!-- cdk8s-homelab diagram sha256:${createHash('sha256').update(`${pkg.version}\n${dot}`).digest('hex')} -->`;
}

/** Renders the cluster diagram as SVG, with Graphviz compiled to WebAssembly (offline, no browser). */
export async function renderClusterSvg(objects: readonly SynthesizedObject[], title?: string): Promise<string> {
  const dot = clusterDot(objects, title);
  return renderDot(dot, diagramKey(dot));
}

/** The SVG of a graph, with its key right after the XML prolog (where comments are allowed). */
async function renderDot(dot: string, key: string): Promise<string> {
  const viz = createRequire(__filename)('@viz-js/viz') as { instance(): Promise<{ renderString(dot: string, options: { format: string }): string }> };
  const instance = await viz.instance();
  const svg = instance.renderString(dot, { format: 'svg' });
  const prologEnd = svg.startsWith('<?xml') ? svg.indexOf('?>') + 2 : 0;
  return `${svg.slice(0, prologEnd)}\n${key}${svg.slice(prologEnd)}`;
}

/**
 * Writes the cluster diagram to `file` (replaced whole, never half-written).
 * When the file already holds the diagram of the same graph, drawn by the
 * same Graphviz, it is left as it is (drawing costs a WebAssembly start).
 */
export async function writeClusterDiagram(file: string, objects: readonly SynthesizedObject[], title?: string): Promise<void> {
  if (planOutdir() !== undefined) {
    return; // a plan run writes its manifests and nothing else
  }
  const dot = clusterDot(objects, title);
  const key = diagramKey(dot);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(key)) {
    return;
  }
  const svg = await renderDot(dot, key);
  writeFileAtomically(file, svg);
}
