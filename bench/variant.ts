import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchApp, constructTreeApp, plainDocuments, plainObjects } from './workload';

/**
 * One measured run, in its own process: `node variant.js <variant> <N> <outdir>`.
 * Each variant loads only the libraries it uses. Prints the peak RSS in KiB
 * on stdout; the caller measures wall time.
 */
function ours(n: number, outdir: string): void {
  const { AppStack, HomelabApp } = require('../lib') as typeof import('../lib');
  // The resolver is declared, as a real cluster's TraefikConfig would (else every route warns).
  const app = new HomelabApp({ outdir, mirrorOutdir: outdir, cluster: { certResolvers: ['letsencrypt'] } });
  for (let i = 0; i < n; i++) {
    const a = benchApp(i);
    new AppStack(app, a.id, { image: a.image, host: a.host, port: a.port });
  }
  app.synth();
}

function cdk8sPlus(n: number, outdir: string): void {
  const { ApiObject, App, Chart } = require('cdk8s') as typeof import('cdk8s');
  const kplus = require('cdk8s-plus-28') as typeof import('cdk8s-plus-28');
  const app = new App({ outdir });
  for (let i = 0; i < n; i++) {
    const a = benchApp(i);
    const chart = new Chart(app, a.id);
    new kplus.Namespace(chart, 'Namespace', { metadata: { name: a.id } });
    const deployment = new kplus.Deployment(chart, 'Deployment', {
      metadata: { name: a.id, namespace: a.id },
      replicas: 1,
      containers: [{ image: a.image, portNumber: a.port }],
    });
    new kplus.Service(chart, 'Service', {
      metadata: { name: a.id, namespace: a.id },
      selector: deployment,
      ports: [{ port: 80, targetPort: a.port }],
    });
    for (const doc of plainDocuments(a).filter((d) => !['Namespace', 'Service', 'Deployment'].includes(String(d.kind)))) {
      const { apiVersion, kind, metadata, spec } = doc as { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown };
      new ApiObject(chart, metadata.name, { apiVersion, kind, metadata, spec });
    }
  }
  app.synth();
}

function lowerBound(n: number, outdir: string): void {
  const { stringify } = require('yaml') as typeof import('yaml');
  fs.mkdirSync(outdir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const a = benchApp(i);
    const text = plainDocuments(a)
      .map((d) => stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1' }))
      .join('---\n');
    fs.writeFileSync(path.join(outdir, `${a.id}.k8s.yaml`), text);
  }
}

/** The lower bound again, written with our YAML writer (what `ours` writes with) instead of the yaml library. */
function lowerBoundOurWriter(n: number, outdir: string): void {
  const { CDK8S_YAML_STYLE, tryWriteYaml } = require('../lib/core/yaml-writer') as typeof import('../lib/core/yaml-writer');
  fs.mkdirSync(outdir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const a = benchApp(i);
    const text = plainDocuments(a)
      .map((d) => tryWriteYaml(d, CDK8S_YAML_STYLE))
      .join('---\n');
    fs.writeFileSync(path.join(outdir, `${a.id}.k8s.yaml`), text);
  }
}

/**
 * The construct-tree floor: the same documents in a plain cdk8s tree of
 * AppStack's shape (see constructTreeApp), written one file per app with
 * our writer in one walk; no checks, no validation.
 */
function constructTree(n: number, outdir: string): void {
  const { App } = require('cdk8s') as typeof import('cdk8s');
  const { CDK8S_YAML_STYLE, tryWriteYaml } = require('../lib/core/yaml-writer') as typeof import('../lib/core/yaml-writer');
  const app = new App({ outdir });
  const apps = [];
  for (let i = 0; i < n; i++) {
    const a = benchApp(i);
    apps.push({ id: a.id, objects: constructTreeApp(app, a) });
  }
  fs.mkdirSync(outdir, { recursive: true });
  for (const { id, objects } of apps) {
    fs.writeFileSync(path.join(outdir, `${id}.k8s.yaml`), objects.map((o) => tryWriteYaml(o.toJson(), CDK8S_YAML_STYLE)).join('---\n'));
  }
}

/**
 * Every check of a synth with no construct tree: the documents as plain
 * objects, strict schemas and the whole-cluster checks over all of them,
 * then an atomic write with our writer. What the checks cost on their own.
 */
function checksNoTree(n: number, outdir: string): void {
  const { HomelabError, synthChecks } = require('../lib') as typeof import('../lib');
  const { renderYaml } = require('../lib/synth/synthesizer') as typeof import('../lib/synth/synthesizer');
  const { writeFilesAtomically } = require('../lib/synth/atomic-output') as typeof import('../lib/synth/atomic-output');
  const files = Array.from({ length: n }, (_, i) => {
    const a = benchApp(i);
    return { fileName: `${a.id}.k8s.yaml`, app: a.id, objects: plainObjects(a) };
  });
  const all = files.flatMap((f) => f.objects);
  const problems = synthChecks()
    .flatMap((check) => check(all, { allowCrossNamespace: false, certResolvers: ['letsencrypt'] }))
    .filter((p) => !p.warning);
  if (problems.length > 0) {
    throw new HomelabError(problems);
  }
  function* rendered(): Generator<[string, string]> {
    for (const f of files) {
      yield [f.fileName, renderYaml(f)]; // one at a time, as HomelabApp writes
    }
  }
  writeFilesAtomically(outdir, rendered());
}

const [variant, count, outdir] = process.argv.slice(2);
const n = Number(count);
switch (variant) {
  case 'ours':
    ours(n, outdir);
    break;
  case 'cdk8s-plus':
    cdk8sPlus(n, outdir);
    break;
  case 'lower-bound':
    lowerBound(n, outdir);
    break;
  case 'lower-bound-our-writer':
    lowerBoundOurWriter(n, outdir);
    break;
  case 'construct-tree':
    constructTree(n, outdir);
    break;
  case 'checks-no-tree':
    checksNoTree(n, outdir);
    break;
  default:
    throw new Error(`unknown variant ${variant}`);
}
process.stdout.write(`${process.resourceUsage().maxRSS}\n`);
