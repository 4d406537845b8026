import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { addApps, CLUSTER, ENVIRONMENTS } from '../../apps';
import { clusterDot, HomelabApp, renderClusterSvg, type SynthesizedObject, writeClusterDiagram } from '../../lib';
import { parseRule } from '../../lib/core/route-rules';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function prod(): SynthesizedObject[] {
  const env = ENVIRONMENTS.find((e) => e.name === 'prod');
  const app = new HomelabApp({ ...CLUSTER, environment: 'prod' });
  addApps(app, env ?? ENVIRONMENTS[0]);
  return app.synthFiles().flatMap((f) => f.objects);
}

/** Every text of an SVG, as the XML parser reads it. */
function svgTexts(svg: string): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text') {
          for (const t of [value].flat()) {
            texts.push(typeof t === 'object' && t !== null ? String((t as Record<string, unknown>)['#text'] ?? '') : String(t));
          }
        } else {
          walk(value);
        }
      }
    }
  };
  walk(new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(svg));
  return texts;
}

describe('the cluster diagram', () => {
  const objects = prod();

  it('shows every host and every app of the example cluster', async () => {
    const texts = svgTexts(await renderClusterSvg(objects, 'prod'));
    const hosts = [
      ...new Set(
        objects
          .filter((o) => o.manifest.kind === 'IngressRoute')
          .flatMap((o) => (o.manifest.spec as { routes: { match: string }[] }).routes.flatMap((r) => parseRule(r.match).hosts)),
      ),
    ];
    expect(hosts.length).toBeGreaterThanOrEqual(8);
    for (const host of hosts) {
      expect(texts, host).toContain(host);
    }
    const apps = [...new Set(objects.map((o) => o.app))];
    expect(apps).toEqual(expect.arrayContaining(['gazette', 'nextcloud', 'grafana', 'node-exporter']));
    // Traefik's configuration, the secret store, the GitOps sync and the ApplySet's parent are cluster settings, with no workload to draw.
    for (const app of apps.filter((a) => !['traefik', 'secret-store', 'gitops', '(applyset)'].includes(a))) {
      expect(
        texts.some((t) => t.includes(app)),
        app,
      ).toBe(true);
    }
    expect(texts).toEqual(expect.arrayContaining(['SSO', 'IP allow list', 'security headers', 'HTTPS redirect']));
  });

  it('groups by namespace and is the same text on every run', () => {
    const dot = clusterDot(objects, 'prod');
    expect(dot).toBe(clusterDot(prod(), 'prod'));
    expect(dot).toContain('subgraph "cluster_nextcloud"');
    expect(dot).toMatch(/"Deployment\/nextcloud\/nextcloud" -> "StatefulSet\/nextcloud\/nextcloud-postgres" \[style=dashed\]/);
  });

  it('is drawn again only when the graph changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-diagram-'));
    try {
      const file = path.join(dir, 'cluster.svg');
      await writeClusterDiagram(file, objects, 'prod');
      const drawn = fs.readFileSync(file, 'utf8');
      expect(drawn).toBe(await renderClusterSvg(objects, 'prod'));
      expect(drawn).toMatch(/^<\?xml[^>]*\?>\n<!-- cdk8s-homelab diagram sha256:[0-9a-f]{64} -->\n<!DOCTYPE svg/);
      fs.writeFileSync(file, `${drawn}<!-- untouched -->\n`);
      await writeClusterDiagram(file, objects, 'prod');
      expect(fs.readFileSync(file, 'utf8')).toContain('<!-- untouched -->');
      const fewer = objects.filter((o) => o.app !== 'whoami');
      await writeClusterDiagram(file, fewer, 'prod');
      const redrawn = fs.readFileSync(file, 'utf8');
      expect(redrawn).not.toContain('<!-- untouched -->');
      expect(redrawn).not.toContain('whoami');
      expect(redrawn).toBe(await renderClusterSvg(fewer, 'prod'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('docs/cluster.svg is up to date', async () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'cluster.svg'), 'utf8'), 'run npm run synth').toBe(await renderClusterSvg(objects, 'prod'));
  });
});
