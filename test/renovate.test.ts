import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addApps, CLUSTER, ENVIRONMENTS } from '../apps';
import { HomelabApp, type Manifest } from '../lib';
import { containersOf, installedChartOf, podTemplates } from '../lib/core/manifest-fields';
import { PROJECT_ROOT } from './helpers';

/** The parts of a Renovate regex manager that these tests run. */
interface RegexManager {
  readonly customType: string;
  readonly managerFilePatterns: string[];
  readonly matchStrings: string[];
  readonly datasourceTemplate?: string;
}

/** A dependency as Renovate's regex manager extracts it. */
interface Dependency {
  readonly datasource: string;
  readonly depName: string;
  readonly currentValue: string;
  readonly registryUrl?: string;
  readonly file: string;
}

const CONFIG = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'renovate.json'), 'utf8')) as { customManagers: RegexManager[] };

/** A `/regex/` file pattern of Renovate, as a RegExp. */
function filePattern(pattern: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (!m) {
    throw new Error(`${pattern} is not a /regex/ pattern`);
  }
  return new RegExp(m[1], m[2]);
}

/** What the preset's regex managers extract from the files of apps/, the way Renovate runs them (each match string over the whole file, globally). */
function extract(): Dependency[] {
  const files = fs.readdirSync(path.join(PROJECT_ROOT, 'apps')).map((f) => `apps/${f}`);
  const deps: Dependency[] = [];
  for (const manager of CONFIG.customManagers) {
    expect(manager.customType).toBe('regex');
    for (const file of files.filter((f) => manager.managerFilePatterns.some((p) => filePattern(p).test(f)))) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
      for (const source of manager.matchStrings) {
        for (const m of text.matchAll(new RegExp(source, 'g'))) {
          const g = m.groups ?? {};
          deps.push({
            datasource: g.datasource ?? manager.datasourceTemplate ?? '?',
            depName: g.depName,
            currentValue: g.currentValue,
            ...(g.registryUrl ? { registryUrl: g.registryUrl } : {}),
            file,
          });
        }
      }
    }
  }
  return deps;
}

/** The images the library picks itself (a database's default image): they change with the cdk8s-homelab version, not in apps/. */
const LIBRARY_IMAGES = new Set(['postgres:16.6-alpine', 'redis:7.4.1-alpine']);

/** Every image and chart version of the example cluster, in every environment. */
function versionsOfTheCluster(): { images: Set<string>; charts: Set<string> } {
  const images = new Set<string>();
  const charts = new Set<string>();
  for (const env of ENVIRONMENTS) {
    const app = new HomelabApp({ ...CLUSTER, outdir: '/nonexistent', environment: env.name });
    addApps(app, env);
    const all: Manifest[] = app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
    for (const m of all) {
      for (const t of podTemplates(m)) {
        for (const { container } of containersOf(t)) {
          images.add(String(container.image));
        }
      }
      const chart = installedChartOf(m);
      if (chart) {
        // helm-controller's HelmChart names its repository (a Flux HelmRelease, its HelmRepository).
        expect(m.kind).toBe('HelmChart');
        charts.add(`${String((m.spec as { repo?: string }).repo)} ${chart.chart} ${chart.version}`);
      }
    }
  }
  return { images: new Set([...images].filter((i) => !LIBRARY_IMAGES.has(i))), charts };
}

describe('the Renovate preset', () => {
  const deps = extract();
  const cluster = versionsOfTheCluster();

  it('finds every image tag of apps/ and of the environments, and nothing else', () => {
    const found = deps.filter((d) => d.datasource === 'docker').map((d) => `${d.depName}:${d.currentValue}`);
    expect(new Set(found).size, 'each image written once').toBe(found.length);
    expect(new Set(found)).toEqual(cluster.images);
    expect(cluster.images.size).toBeGreaterThan(12);
  });

  it('finds every Helm chart version with its repository, and nothing else (not a Vault KV version)', () => {
    const found = deps.filter((d) => d.datasource === 'helm').map((d) => `${d.registryUrl} ${d.depName} ${d.currentValue}`);
    expect(new Set(found)).toEqual(cluster.charts);
    expect([...cluster.charts].sort()).toEqual(['https://charts.goauthentik.io authentik 2025.10.1', 'https://charts.keel.sh keel 1.0.5']);
    expect(deps.every((d) => ['docker', 'helm'].includes(d.datasource))).toBe(true);
  });

  it('reads an Environment override as the tag of its image', () => {
    expect(deps.filter((d) => d.file === 'apps/environments.ts')).toEqual([
      { datasource: 'docker', depName: 'ghcr.io/julesfrn/gazette', currentValue: '1.5.0-rc.1', file: 'apps/environments.ts' },
    ]);
  });

  it("uses only what RE2 (Renovate's regex engine) runs: no lookaround, no backreference", () => {
    for (const source of CONFIG.customManagers.flatMap((m) => m.matchStrings)) {
      expect(source).not.toMatch(/\(\?[=!]|\(\?<[=!]|\\[1-9]/);
    }
  });

  it('matches the forms an image takes: a registry port, a digest; never a URL or a floating name', () => {
    const [images] = CONFIG.customManagers;
    const match = (text: string) =>
      [...text.matchAll(new RegExp(images.matchStrings[0], 'g'))].map((m) => [m.groups?.depName, m.groups?.currentValue, m.groups?.currentDigest]);
    expect(match("image: 'registry.lan:5000/tools/wiki:2.5.1'")).toEqual([['registry.lan:5000/tools/wiki', '2.5.1', undefined]]);
    expect(match(`image: 'nginx:1.27.3@sha256:${'a'.repeat(64)}'`)).toEqual([['nginx', '1.27.3', `sha256:${'a'.repeat(64)}`]]);
    expect(match("server: 'https://vault.example.com:8200'")).toEqual([]);
    expect(match("image: 'nginx'")).toEqual([]);
  });
});
