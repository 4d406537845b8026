import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ApiObject, JsonPatch } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import * as lib from '../lib';
import { CLUSTER_CHECKS, type HomelabApp, MANAGED_BY, MANAGED_BY_LABEL, type Manifest, POLICY_RULES } from '../lib';
import { at, find, manifests } from './helpers';

const ROOT = path.resolve(import.meta.dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The text of a `## ` section of the README, without its title. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  expect(start, `README section "## ${title}"`).toBeGreaterThan(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start + title.length + 5, end < 0 ? undefined : end);
}

/** The fenced code blocks of a text in a language. */
function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]);
}

interface Recipe {
  readonly title: string;
  readonly slug: string;
  readonly code: string;
}

/** Every `### ` recipe of the Recipes section, with its TypeScript. */
function recipes(): Recipe[] {
  return section('Recipes')
    .split('\n### ')
    .slice(1)
    .map((part) => {
      const title = part.slice(0, part.indexOf('\n'));
      return {
        title,
        slug: title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, ''),
        code: codeBlocks(part, 'ts').join('\n'),
      };
    });
}

/** What each recipe must produce, so a recipe that silently stops doing its job fails. */
const EXPECTED: Record<string, (all: Manifest[]) => void> = {
  'a-private-image': (all) => {
    expect(at(find(all, 'Deployment', 'gazette'), 'spec', 'template', 'spec', 'imagePullSecrets')).toEqual([{ name: 'regcred' }]);
  },
  'single-sign-on-in-front-of-an-app': (all) => {
    const auth = all.find((m) => m.kind === 'Middleware' && m.metadata.namespace === 'grafana' && at(m, 'spec', 'forwardAuth') !== undefined);
    expect(auth, 'a forwardAuth Middleware in grafana').toBeDefined();
    expect(JSON.stringify(find(all, 'IngressRoute', 'grafana-websecure').spec)).toContain(auth?.metadata.name);
  },
  'an-admin-app-only-the-vpn-reaches': (all) => {
    const allow = all.find((m) => m.kind === 'Middleware' && at(m, 'spec', 'ipAllowList') !== undefined);
    expect(at(allow, 'spec', 'ipAllowList', 'sourceRange')).toEqual(['10.8.0.0/24', '192.168.1.20/32']);
  },
  'a-database': (all) => {
    expect(at(find(all, 'StatefulSet', 'wiki-postgres'), 'spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage')).toBe('5Gi');
    const env = at(find(all, 'Deployment', 'wiki'), 'spec', 'template', 'spec', 'containers', 0, 'env') as { name: string }[];
    expect(env.map((e) => e.name)).toEqual(expect.arrayContaining(['DB_TYPE', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASS']));
  },
  'a-nightly-backup': (all) => {
    const cron = find(all, 'CronJob', 'wiki-backup');
    expect(at(cron, 'spec', 'schedule')).toBe('0 3 * * *');
    expect(JSON.stringify(at(cron, 'spec', 'jobTemplate'))).toContain('wiki-backups');
    const policies = all.filter((m) => m.kind === 'NetworkPolicy' && JSON.stringify(m.spec).includes('"wiki-backup"'));
    expect(policies.length, 'a NetworkPolicy lets the backup reach the database').toBe(1);
  },
  'automatic-image-updates-with-keel': (all) => {
    expect(find(all, 'HelmChart', 'keel')).toBeDefined();
    expect(at(find(all, 'Deployment', 'portfolio'), 'metadata', 'annotations', 'keel.sh/policy')).toBe('minor');
  },
  'a-helm-chart-routed': (all) => {
    expect(at(find(all, 'HelmChart', 'uptime-kuma'), 'spec', 'version')).toBe('2.21.2');
    expect(JSON.stringify(find(all, 'IngressRoute', 'uptime-kuma-websecure').spec)).toContain('status.example.com');
  },
  'apps-sharing-a-namespace': (all) => {
    expect(all.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).toEqual(['media']);
    expect(all.filter((m) => m.kind === 'Middleware').map((m) => m.metadata.name)).toEqual(['https-redirect', 'security-headers']);
    const pod = at(find(all, 'Deployment', 'sonarr'), 'spec', 'template', 'spec');
    expect(at(pod, 'volumes')).toContainEqual({ name: 'library', persistentVolumeClaim: { claimName: 'jellyfin-library' } });
    expect(
      at(pod, 'affinity', 'podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 0, 'labelSelector', 'matchLabels', 'app.kubernetes.io/name'),
    ).toBe('jellyfin');
  },
  'a-lan-dns-server-on-tcp-and-udp': (all) => {
    expect(at(find(all, 'Service', 'blocky-lb'), 'spec', 'type')).toBe('LoadBalancer');
    expect((at(find(all, 'Service', 'blocky-lb'), 'spec', 'ports') as { protocol: string }[]).map((p) => p.protocol)).toEqual(['TCP', 'UDP']);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-anywhere'), 'spec', 'ingress', 0, 'ports')).toHaveLength(2);
  },
  'a-service-outside-the-cluster-behind-sso': (all) => {
    expect(at(find(all, 'EndpointSlice', 'proxmox'), 'endpoints', 0, 'addresses')).toEqual(['192.168.1.5']);
    expect(at(find(all, 'IngressRoute', 'proxmox-websecure'), 'spec', 'routes', 0, 'services', 0, 'serversTransport')).toBe('proxmox');
    expect(all.filter((m) => m.kind === 'Middleware' && m.metadata.namespace === 'proxmox').map((m) => m.metadata.name)).toContain('sso');
  },
};

describe('the README recipes', () => {
  let dir: string;
  const all = recipes();

  beforeAll(() => {
    fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
    dir = fs.mkdtempSync(path.join(ROOT, 'build', 'readme-'));
    const names = Object.keys(lib).filter((name) => /^[A-Za-z]\w*$/.test(name));
    for (const recipe of all) {
      const used = names.filter((name) => new RegExp(`\\b${name}\\b`).test(recipe.code));
      const header = [/\bChart\b/.test(recipe.code) ? "import { Chart } from 'cdk8s';" : '', `import { ${used.join(', ')} } from '../../lib';`]
        .filter((l) => l !== '')
        .join('\n');
      fs.writeFileSync(path.join(dir, `${recipe.slug}.ts`), `${header}\n\n${recipe.code}\nexport default app;\n`);
    }
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, incremental: false, rootDir: '../..' },
        include: ['*.ts'],
        exclude: [],
      }),
    );
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('covers every feature the brief names, each with its expectations', () => {
    expect(all.map((r) => r.slug)).toEqual(Object.keys(EXPECTED));
    for (const recipe of all) {
      expect(recipe.code, recipe.title).toMatch(/const app = new HomelabApp\(/);
    }
  });

  it('type-check', () => {
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(dir, 'tsconfig.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it.each(Object.keys(EXPECTED))('%s synthesizes with every check and does what it says', async (slug) => {
    const module = (await import(path.join(dir, `${slug}.ts`))) as { default: HomelabApp };
    const all = manifests(module.default);
    EXPECTED[slug](all);
    for (const m of all) {
      expect((m.metadata.labels as Record<string, string> | undefined)?.[MANAGED_BY_LABEL], `${m.kind}/${m.metadata.name}`).toBe(MANAGED_BY);
    }
  });
});

describe('the README reference', () => {
  it('lists every whole-cluster check, policy rule and warning code', () => {
    for (const check of CLUSTER_CHECKS) {
      expect(README, `check ${check.name}`).toContain(`| \`${check.name}\` |`);
    }
    for (const rule of POLICY_RULES) {
      expect(README, `rule ${rule}`).toContain(`| \`${rule}\` |`);
    }
    const sources = fs
      .readdirSync(path.join(ROOT, 'lib'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(path.join(ROOT, 'lib', f), 'utf8'))
      .join('\n');
    const codes = new Set([...sources.matchAll(/'(HL-[a-z-]+)'/g)].map((m) => m[1]));
    for (const profile of ['baseline', 'privileged']) {
      codes.add(`HL-${profile}-profile`);
    }
    expect(codes.size).toBeGreaterThanOrEqual(5);
    const troubleshooting = section('Troubleshooting');
    for (const code of codes) {
      expect(troubleshooting, code).toContain(`\`${code}\``);
    }
  });

  it('lays out every top-level folder and file of the repository', () => {
    const layout = section('Layout');
    const tracked = spawnSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .stdout.split('\n')
      .filter((f) => f !== '');
    const top = new Set(
      tracked
        .map((f) => (f.includes('/') ? `${f.slice(0, f.indexOf('/'))}/` : f))
        .filter((f) => !f.startsWith('.') && !['README.md', 'package-lock.json', 'tsconfig.json', 'LICENSE'].includes(f)),
    );
    expect(top.size).toBeGreaterThan(10);
    for (const entry of top) {
      expect(layout, entry).toContain(`\`${entry}\``);
    }
  });
});

describe('the README workflows', () => {
  const workflows = section('Applying: kubectl and GitOps');
  type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: unknown };
  /** The files of an environment folder, subfolders included, as relative paths. */
  const filesOf = (env: string) =>
    fs
      .readdirSync(path.join(ROOT, 'dist', env), { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(ROOT, 'dist', env, f)).isFile())
      .map((f) => f.split(path.sep).join('/'))
      .sort();
  const docsOf = (file: string) => parseAllDocuments(fs.readFileSync(path.join(ROOT, file), 'utf8')).map((d) => d.toJS() as Doc);
  const prodObjects = filesOf('prod').flatMap((f) => docsOf(`dist/prod/${f}`));

  it('the ApplySet commands apply every folder but kept/ and applyset/ under the parent of applyset/, created before', () => {
    const commands = codeBlocks(workflows, 'sh')
      .join('\n')
      .split('\n')
      .filter((l) => l.includes('--applyset='));
    expect(commands.map((c) => c.includes('--dry-run=server'))).toEqual([true, false]);
    for (const command of commands) {
      expect(command).toMatch(/^KUBECTL_APPLYSET=true kubectl apply /);
      expect(command).toContain(' --prune ');
      expect(command).not.toMatch(/ -n | --namespace/);
      const parent = docsOf('dist/prod/applyset/parent.yaml')[0];
      // The parent's plural and group are its CRD's, which sits beside it.
      const crd = docsOf('dist/prod/applyset/crd.yaml')[0] as Doc & { spec: { names: { plural: string }; group: string } };
      expect(parent.apiVersion.split('/')[0]).toBe(crd.spec.group);
      expect(command).toContain(`--applyset=${crd.spec.names.plural}.${crd.spec.group}/${parent.metadata.name}`);
      const folders = [...command.matchAll(/-f (dist\/prod\/\S*)/g)].map((m) => m[1]);
      expect(folders).toEqual(['dist/prod/platform/', 'dist/prod/apps/']);
    }
    // Every file is either in those folders, in kept/ (applied before them without pruning), or the parent's record.
    const applied = filesOf('prod').filter((f) => f.startsWith('platform/') || f.startsWith('apps/'));
    expect(filesOf('prod').filter((f) => !applied.includes(f) && !f.startsWith('kept/'))).toEqual(['applyset/crd.yaml', 'applyset/parent.yaml']);
    // The CRD, then the parent, then kept/, then the set: in this order in the recipe.
    const sh = codeBlocks(workflows, 'sh').join('\n');
    const at = (s: string) => sh.indexOf(s);
    expect(
      [at('-f dist/prod/applyset/crd.yaml'), at('-f dist/prod/applyset/parent.yaml'), at('kubectl apply -f dist/prod/kept/ '), at('--applyset=')].every(
        (i, n, all) => i >= 0 && (n === 0 || i > all[n - 1]),
      ),
    ).toBe(true);
  });

  it('every object can be pruned by label and names its namespace', () => {
    const clusterScoped = new Set(['Namespace', 'ClusterSecretStore', 'CustomResourceDefinition', 'ApplySet']);
    expect(prodObjects.length).toBeGreaterThan(100);
    for (const o of prodObjects) {
      expect(o.metadata.labels?.[MANAGED_BY_LABEL], `${o.kind}/${o.metadata.name}`).toBe(MANAGED_BY);
      if (!clusterScoped.has(o.kind)) {
        expect(o.metadata.namespace, `${o.kind}/${o.metadata.name} has a namespace (Argo CD and Flux would use their own)`).toBeTruthy();
      }
    }
  });

  it("the GitOps sync of each environment has a Kustomization per folder, in the folders' order, which together hold every manifest", () => {
    for (const env of ['prod', 'staging']) {
      const docs = docsOf(`dist/${env}/platform/gitops.k8s.yaml`);
      expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
        `GitRepository/homelab-${env}`,
        `Kustomization/homelab-${env}-data`,
        `Kustomization/homelab-${env}-platform`,
        `Kustomization/homelab-${env}`,
      ]);
      const synced = docs.slice(1).map((d) => path.relative(ROOT, path.join(ROOT, String(at(d, 'spec', 'path')))));
      expect(synced).toEqual(['kept', 'platform', 'apps'].map((f) => path.join('dist', env, f)));
      expect(docs.slice(1).map((d) => at(d, 'spec', 'dependsOn'))).toEqual([
        undefined,
        [{ name: `homelab-${env}-data` }],
        [{ name: `homelab-${env}-platform` }],
      ]);
      const files = filesOf(env);
      expect(files.length).toBeGreaterThan(5);
      expect(files.filter((f) => !['kept', 'platform', 'apps'].includes(f.split('/')[0]))).toEqual(['applyset/crd.yaml', 'applyset/parent.yaml']);
      expect(
        files.filter((f) => !f.endsWith('.yaml')),
        `dist/${env} holds only manifests`,
      ).toEqual([]);
    }
    expect(codeBlocks(workflows, 'ts').join('\n')).toContain("new GitOpsSync(app, 'gitops', {");
  });

  it('every environment folder the README tells to apply exists', () => {
    const folders = [...README.matchAll(/kubectl (?:apply|diff) ((?:-f dist\/[a-z0-9/.-]*\/? ?)+)/g)].flatMap((m) =>
      m[1].trim().split(/ ?-f /).filter(Boolean),
    );
    expect(folders.length).toBeGreaterThan(6);
    for (const folder of new Set(folders)) {
      expect(fs.existsSync(path.join(ROOT, folder.replace(/^-f /, ''))), folder).toBe(true);
    }
  });
});

describe('the README error example', () => {
  it('is what synth prints for its scenario', () => {
    const app = new lib.HomelabApp({ outdir: '/nonexistent-outdir', mirrorOutdir: '/nonexistent-outdir', cluster: { certResolvers: ['letsencrypt'] } });
    const tools = new lib.AppStack(app, 'tools', { image: 'ghcr.io/me/tools:1.0.0', host: 'tools.example.com', port: 8080 });
    const websecure = tools.route?.node.findChild('WebSecure') as ApiObject;
    websecure.addJsonPatch(JsonPatch.replace('/spec/routes/0/services/0/port', 8080));
    const api = new lib.AppDeployment(tools, 'Api', { name: 'api', namespace: 'tools', image: 'ghcr.io/me/api:2.1.0', port: 3000, selector: { app: 'api' } });
    api.resource.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/imagePullPolcy', 'Always'));
    let printed = '';
    try {
      app.synthFiles();
    } catch (e) {
      const problems = lib.HomelabError.isHomelabError(e) ? e.problems : [];
      printed = [`synth failed, dist/ left as it was: ${problems.length} problem(s)`, ...problems.map(lib.formatProblem)].join('\n');
    }
    expect(printed).toMatch(/^synth failed, dist\/ left as it was: 2 problem\(s\)\n/);
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`\n${printed}\n\`\`\``);
  });
});
