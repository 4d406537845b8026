import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { AppStack, type AppStackProps, HomelabApp, HomelabError, Probe } from '../lib';
import { renderYaml } from '../lib/synth/synthesizer';
import { untyped } from './helpers';

const SEED = 20261122;
const RUNS = 200;

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
/** A DNS label of 1-12 characters: letter first, alphanumerics and inner dashes. */
const label = fc
  .tuple(letter, fc.array(fc.oneof(alnum, fc.constant('-')), { maxLength: 10 }), alnum)
  .map(([a, mid, z]) => `${a}${mid.join('')}${z}`.replace(/-+$/, ''))
  .filter((s) => !s.endsWith('-'));
const appId = label.filter((s) => s.length <= 40);
const domain = fc.tuple(label, fc.constantFrom('fr', 'com', 'net', 'io')).map(([a, b]) => `${a}.${b}`);
const tag = fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/);
const image = fc
  .tuple(fc.constantFrom('', 'ghcr.io/', 'registry.example.com:5000/'), label, label, tag)
  .map(([registry, owner, repo, t]) => `${registry}${owner}/${repo}:${t}`);
const port = fc.integer({ min: 1, max: 65535 });
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/);
const cpu = fc.integer({ min: 1, max: 2000 }).map((m) => `${m}m`);
const memMi = fc.integer({ min: 8, max: 4096 });
const probe = fc.option(
  fc.oneof(
    fc.constant(Probe.tcp()),
    fc.stringMatching(/^\/[a-z]{0,10}$/).map((p) => Probe.http(p)),
    fc.constant(Probe.exec(['true'])),
  ),
  { nil: undefined },
);

interface Generated {
  readonly id: string;
  readonly props: AppStackProps;
}

/** Valid props for an app `id` on subdomains of `parent`. */
function validStack(id: string, parent: string): fc.Arbitrary<Generated> {
  return fc
    .record({
      image,
      port,
      subdomains: fc.uniqueArray(label, { minLength: 1, maxLength: 3 }),
      replicas: fc.integer({ min: 0, max: 5 }),
      env: fc.dictionary(envName, fc.string({ maxLength: 20 }), { maxKeys: 4 }),
      cpuRequest: cpu,
      memRequest: memMi,
      memExtra: fc.integer({ min: 0, max: 1024 }),
      servicePort: fc.option(port, { nil: undefined }),
      arch: fc.option(fc.constantFrom('arm64' as const, 'amd64' as const, 'arm' as const), { nil: undefined }),
      tlsMode: fc.constantFrom('resolver', 'secret', 'wildcard', 'sans'),
      readiness: probe,
      liveness: probe,
      namespace: fc.option(fc.constant(`${id}-ns`), { nil: undefined }),
    })
    .map((g) => {
      const hosts = g.subdomains.map((s) => `${s}.${id}.${parent}`);
      const props: AppStackProps = {
        image: g.image,
        port: g.port,
        ...(hosts.length === 1 ? { host: hosts[0] } : { hosts }),
        replicas: g.replicas,
        env: g.env,
        resources: { cpuRequest: g.cpuRequest, memoryRequest: `${g.memRequest}Mi`, memoryLimit: `${g.memRequest + g.memExtra}Mi` },
        servicePort: g.servicePort,
        arch: g.arch,
        readiness: g.readiness,
        liveness: g.liveness,
        namespace: g.namespace,
        ...(g.tlsMode === 'secret' ? { tlsSecretName: `${id}-tls` } : {}),
        ...(g.tlsMode === 'wildcard' ? { tlsDomains: [{ main: `${id}.${parent}`, sans: [`*.${id}.${parent}`] }] } : {}),
        ...(g.tlsMode === 'sans' ? { tlsDomains: [{ main: hosts[0], sans: hosts.slice(1) }] } : {}),
      };
      return { id, props };
    });
}

const cluster = fc
  .tuple(fc.uniqueArray(appId, { minLength: 1, maxLength: 4 }), domain)
  .chain(([ids, parent]) => fc.tuple(...ids.map((id) => validStack(id, parent))));

type Mutation = [string, (p: AppStackProps) => AppStackProps];

describe('generated AppStacks', () => {
  it('random valid props always synthesize schema-valid output that passes every cluster check', () => {
    fc.assert(
      fc.property(cluster, (stacks) => {
        // The TLS Secrets some stacks name are made by hand in this cluster.
        const app = new HomelabApp({ outdir: '/nonexistent', handMadeSecrets: stacks.map((s) => `${s.props.namespace ?? s.id}/${s.id}-tls`) });
        for (const s of stacks) {
          new AppStack(app, s.id, s.props);
        }
        const files = app.synthFiles(); // throws on any schema or cluster problem
        expect(files.map((f) => f.app).sort()).toEqual(stacks.map((s) => s.id).sort());
        for (const f of files) {
          const docs = parseAllDocuments(renderYaml(f)).map((d) => d.toJS());
          expect(docs).toEqual(f.objects.map((o) => o.manifest));
          expect(docs[0].kind).toBe('Namespace');
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  /** One invalid change to valid props, and the field its error must name. */
  const mutations: fc.Arbitrary<Mutation> = fc.oneof(
    fc
      .constantFrom('a..b.fr', 'UPPER.example.com', 'nodot', '-x.example.com', 'x_y.example.com')
      .map((h): Mutation => ['props.host', (p) => untyped({ ...p, host: h, hosts: undefined })]),
    fc
      .oneof(fc.integer({ min: 65536, max: 10 ** 7 }), fc.integer({ min: -1000, max: 0 }), fc.constant(80.5))
      .map((n): Mutation => ['props.port', (p) => ({ ...p, port: n })]),
    fc.constantFrom('Nginx:1', 'app:', 'a b:1', 'ghcr.io//x:1', 'app', 'app:latest').map((i): Mutation => ['props.image', (p) => ({ ...p, image: i })]),
    fc.oneof(fc.integer({ min: -100, max: -1 }), fc.constant(2.5)).map((r): Mutation => ['props.replicas', (p) => ({ ...p, replicas: r })]),
    fc.constantFrom('10 GB', '1GB', 'lots', '').map((q): Mutation => ['props.resources.memoryLimit', (p) => ({ ...p, resources: { memoryLimit: q } })]),
    fc.constantFrom('1ABC', 'A B', 'é').map((n): Mutation => [`props.env.${n}`, (p) => ({ ...p, env: { [n]: 'x' } })]),
    fc.constant<Mutation>(['props.tlsDomains', (p) => untyped({ ...p, tlsSecretName: undefined, tlsDomains: [{ main: 'unrelated.example.org' }] })]),
    fc.constant<Mutation>(['props.certResolver', (p) => untyped({ ...p, tlsDomains: undefined, certResolver: 'le', tlsSecretName: 'x-tls' })]),
    fc.constant<Mutation>(['props.servicePort', (p) => ({ ...p, servicePort: 0 })]),
  );

  it('random invalid props always fail with a HomelabError naming the field, never a crash', () => {
    const arb = fc.tuple(appId, domain).chain(([id, parent]) => fc.tuple(validStack(id, parent), mutations));
    fc.assert(
      fc.property(arb, ([stack, [field, mutate]]) => {
        const app = new HomelabApp({ outdir: '/nonexistent' });
        let error: unknown;
        try {
          new AppStack(app, stack.id, mutate(stack.props));
          app.synthFiles();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(HomelabError);
        const problems = (error as HomelabError).problems;
        expect(problems.map((p) => p.field)).toContain(field);
        for (const p of problems) {
          expect(p.app).toBe(stack.id);
          expect((error as Error).message).toContain(`${stack.id}: ${p.field}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
