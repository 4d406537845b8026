import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers';

// The layers of lib/, lowest first: a module may import its own layer and the
// layers below it, never one above (docs/architecture.md says why each is where).
const LAYERS = ['core', 'checks', 'constructs', 'synth', 'tools', 'traefik', 'platform', 'stack'] as const;
// Entry points at the root of lib/: they may import anything, and nothing in lib/ imports them.
const ENTRY_POINTS = ['index.ts', 'validation-plugin.ts'];

const LIB = path.join(PROJECT_ROOT, 'lib');

/** Every module of lib/, by path relative to lib/, with the lib modules it imports (type imports too). */
function importGraph(lib: string = LIB): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = fs
    .readdirSync(lib, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const file of files) {
    const source = fs.readFileSync(path.join(lib, file), 'utf8');
    const targets: string[] = [];
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s+'(\.[^']*)'|require\('(\.[^']*)'\)/g)) {
      const spec = match[1] ?? match[2];
      const base = path.join(path.dirname(path.join(lib, file)), spec);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
      if (resolved?.startsWith(lib + path.sep)) {
        targets.push(path.relative(lib, resolved));
      }
    }
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The layer of a module: its top folder under lib/ (undefined for the entry points). */
function layerOf(file: string): number | undefined {
  const top = file.split(path.sep)[0];
  const rank = (LAYERS as readonly string[]).indexOf(top);
  return rank === -1 ? undefined : rank;
}

/** Every import against the layer order, as `from -> to` lines. */
function layerViolations(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const [a, b] = [layerOf(from), layerOf(to)];
      if (ENTRY_POINTS.includes(to)) {
        found.push(`${from} -> ${to}: entry points are not imported from inside lib/`);
      } else if (a !== undefined && b !== undefined && b > a) {
        found.push(`${from} -> ${to}: ${LAYERS[a]}/ may not import ${LAYERS[b]}/, a layer above it`);
      }
    }
  }
  return found;
}

/** Every import circle, each as the list of its modules (Tarjan's strongly connected components). */
function importCircles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) {
          onStack.delete(w);
          component.push(w);
        }
      } while (w !== undefined && w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) {
        circles.push(component.sort());
      }
    }
  };
  for (const v of graph.keys()) {
    if (!index.has(v)) {
      visit(v);
    }
  }
  return circles.sort((a, b) => a[0].localeCompare(b[0]));
}

describe('the layers of lib/', () => {
  const graph = importGraph();

  it('are folders, and every module of lib/ is in one (but the entry points)', () => {
    const folders = fs
      .readdirSync(LIB, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([...LAYERS].sort());
    expect([...graph.keys()].filter((f) => layerOf(f) === undefined).sort()).toEqual([...ENTRY_POINTS].sort());
  });

  it('import only their own layer and the layers below', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('have no import circle', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('fails if a module imports a layer above it, or two modules import each other', () => {
    const bad = new Map([
      ['core/a.ts', ['stack/b.ts']],
      ['stack/b.ts', ['core/a.ts']],
      ['checks/c.ts', ['checks/d.ts']],
      ['checks/d.ts', ['checks/e.ts']],
      ['checks/e.ts', ['checks/c.ts']],
      ['synth/f.ts', ['index.ts']],
    ]);
    expect(layerViolations(bad)).toEqual([
      'core/a.ts -> stack/b.ts: core/ may not import stack/, a layer above it',
      'synth/f.ts -> index.ts: entry points are not imported from inside lib/',
    ]);
    expect(importCircles(bad)).toEqual([
      ['checks/c.ts', 'checks/d.ts', 'checks/e.ts'],
      ['core/a.ts', 'stack/b.ts'],
    ]);
  });

  it('the real graph is read: AppStack imports constructs of every layer below', () => {
    const stack = graph.get(path.join('stack', 'app-stack.ts')) ?? [];
    expect(stack).toEqual(
      expect.arrayContaining([path.join('constructs', 'app-service.ts'), path.join('traefik', 'https-route.ts'), path.join('platform', 'postgres.ts')]),
    );
  });
});
