#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { type ManifestValidationResult, validateManifestFiles } from '../lib/checks/manifest-validation';
import { isSecretPath } from '../lib/core/hand-made-secrets';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, parseKubernetesVersion } from '../lib/core/kubernetes-version';
import { formatProblem, HomelabError } from '../lib/core/problems';
import type { SealingScope } from '../lib/core/sealing-scope';
import { diffProject } from '../lib/tools/plan-command';
import { scaffoldApp } from '../lib/tools/scaffold';
import { defaultSealedFile, readEnvFile, type SealInput, type SealResult, sealSecret, writeSealedFile } from '../lib/tools/seal';

const USAGE = `usage: cdk8s-homelab validate [--allow-cross-namespace] [--kubernetes-version <1.28-1.36>] [--crd <file or folder>]...
                              [--hand-made-secret <namespace/name>]... <file or folder>...
       cdk8s-homelab new <app> --image <image:tag> --host <host or subdomain> [--port <port>]
       cdk8s-homelab seal --cert <controller certificate> --namespace <ns> --name <name>
                          [--scope strict|namespace-wide|cluster-wide] [--type <type>] [--label k=v]...
                          [--out <file>] [--from-file KEY=path]... [--from-env-file path]... [--from-stdin KEY] [KEY=VALUE]...
       cdk8s-homelab diff [--against <folder or git revision>] [--format text|markdown] [--outdir dist] [--synthesized <folder>]
       cdk8s-homelab --version | --help | <command> --help

validate  checks Kubernetes YAML (hand-written or synthesized) the way every synth
          does: strict schemas (Kubernetes 1.28 unless --kubernetes-version says
          otherwise, the shipped CRDs and those given with --crd), the
          whole-cluster checks and the security policy (a Secret created by
          hand is named with --hand-made-secret). Exits 0 when everything
          is valid, 1 on problems, 2 on usage errors.
new       writes apps/<app>.ts from a template and registers it in apps/index.ts
          (run it in the project's root). Exits 1 when the app cannot be created.
seal      encrypts Secret values offline with the sealed-secrets controller's
          certificate (kubeseal --fetch-cert > cert.pem) into a SealedSecret file
          (secrets/<ns>/<name>.yaml unless --out says otherwise; the other keys of
          an existing file are kept), for a SealedSecret construct to take. Values
          come from files, an env file, standard input (one trailing newline
          dropped) or, least safely, the command line. Exits 1 with every problem,
          writing nothing.

diff      the plan of a change, offline: synthesizes the project (its cdk8s.yaml
          app command) into a scratch folder, dist/ untouched, and compares it
          object by object with dist/ (or --against: a folder, or a Git revision
          such as HEAD or origin/main): objects added, removed (a Namespace or
          PersistentVolumeClaim flagged as data loss) and changed, field by field,
          per environment; Secret values never shown. --format markdown for a
          pull request. Exits 0 when nothing changes, 1 when something does, 2 on
          errors (as kubectl diff).

Options take their value after a space or an "=": --image=nginx:1.27 or --image nginx:1.27.`;

/** A usage error: printed with the usage, exit status 2. */
class UsageError extends Error {}

/** The arguments of a command, parsed strictly; a usage error names the option at fault. */
function parse(args: string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message)?.[1];
    throw new UsageError(unknown ? `unknown option ${unknown}` : missing ? `option ${missing.replace(/^-\w, /, '')} needs a value` : message);
  }
}

/** The package's version, from its package.json. */
function version(): string {
  const file = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

function newApp(args: string[]): number {
  const { values, positionals } = parse(args, { image: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (extra.length > 0) {
    throw new UsageError(`new takes one app name, got also ${extra.join(' ')}`);
  }
  if (name === undefined || typeof values.image !== 'string' || typeof values.host !== 'string') {
    throw new UsageError('new needs an app name, --image and --host');
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new UsageError(`--port must be a whole number from 1 to 65535, got "${String(values.port)}"`);
  }
  try {
    const result = scaffoldApp(process.cwd(), { name, image: values.image, host: values.host, port });
    process.stdout.write(`wrote ${result.file}\nregistered it in ${result.index}\nnext: synthesize, and review the change to dist/ (git diff dist/)\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`cannot create app "${name}":\n${(e as Error).message}\n`);
    return 1;
  }
}

function validate(args: string[]): number {
  const { values, positionals: paths } = parse(args, {
    'allow-cross-namespace': { type: 'boolean' },
    crd: { type: 'string', multiple: true },
    'kubernetes-version': { type: 'string' },
    'hand-made-secret': { type: 'string', multiple: true },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (paths.length === 0) {
    throw new UsageError('no file or folder given');
  }
  const given = values['kubernetes-version'];
  const kubernetesVersion = parseKubernetesVersion(given ?? DEFAULT_KUBERNETES_VERSION);
  if (kubernetesVersion === undefined) {
    throw new UsageError(`--kubernetes-version must be one of ${KUBERNETES_VERSIONS.join(', ')}, got "${String(given)}"`);
  }
  const handMadeSecrets = (values['hand-made-secret'] ?? []) as string[];
  const bad = handMadeSecrets.find((s) => !isSecretPath(s));
  if (bad !== undefined) {
    throw new UsageError(`--hand-made-secret takes namespace/name, got "${bad}"`);
  }
  let result: ManifestValidationResult;
  try {
    const crds = (values.crd ?? []) as string[];
    result = validateManifestFiles(paths, {
      cluster: { allowCrossNamespace: values['allow-cross-namespace'] === true, handMadeSecrets },
      crds,
      kubernetesVersion,
    });
  } catch (e) {
    if (HomelabError.isHomelabError(e)) {
      for (const p of e.problems) {
        process.stderr.write(`${formatProblem(p).replace(/^\(cluster\): crds/, '--crd')}\n`);
      }
      return 2;
    }
    process.stderr.write(`cannot read manifests: ${(e as Error).message}\n`);
    return 2;
  }
  for (const p of result.problems) {
    process.stderr.write(`${formatProblem(p)}\n`);
  }
  const errors = result.problems.filter((p) => !p.warning).length;
  const warnings = result.problems.length - errors;
  const warned = warnings > 0 ? ` (${warnings} warning(s))` : '';
  if (errors > 0) {
    process.stderr.write(`${errors} problem(s) in ${result.objects} object(s) of ${result.files} file(s)${warned}\n`);
    return 1;
  }
  process.stdout.write(`${result.objects} object(s) in ${result.files} file(s): valid${warned}\n`);
  return 0;
}

/** The values of a seal command, from every source it names. */
function sealInputs(values: Record<string, unknown>, positionals: string[]): SealInput[] {
  const pair = (text: string, option: string): [string, string] => {
    const eq = text.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`${option} takes KEY=${option === 'value' ? 'VALUE' : 'path'}, got "${text}"`);
    }
    return [text.slice(0, eq), text.slice(eq + 1)];
  };
  const inputs: SealInput[] = [];
  for (const spec of (values['from-file'] ?? []) as string[]) {
    const [key, file] = pair(spec, '--from-file');
    inputs.push({ key, value: fs.readFileSync(file), source: `--from-file ${key}=${file}` });
  }
  for (const file of (values['from-env-file'] ?? []) as string[]) {
    inputs.push(...readEnvFile(fs.readFileSync(file, 'utf8'), file));
  }
  if (typeof values['from-stdin'] === 'string') {
    const text = fs.readFileSync(0);
    const value = text.length > 0 && text[text.length - 1] === 0x0a ? text.subarray(0, text.length - 1) : text;
    inputs.push({ key: values['from-stdin'], value, source: `--from-stdin ${values['from-stdin']}` });
  }
  if (positionals.length > 0) {
    process.stderr.write('note: values given on the command line stay in your shell history; prefer --from-file or --from-stdin\n');
  }
  for (const arg of positionals) {
    const [key, value] = pair(arg, 'value');
    inputs.push({ key, value: Buffer.from(value), source: `${key}=(value)` });
  }
  return inputs;
}

function seal(args: string[]): number {
  const { values, positionals } = parse(args, {
    cert: { type: 'string' },
    namespace: { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string' },
    type: { type: 'string' },
    label: { type: 'string', multiple: true },
    out: { type: 'string' },
    'from-file': { type: 'string', multiple: true },
    'from-env-file': { type: 'string', multiple: true },
    'from-stdin': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { cert, namespace, name } = values;
  if (typeof cert !== 'string' || typeof namespace !== 'string' || typeof name !== 'string') {
    throw new UsageError('seal needs --cert, --namespace and --name');
  }
  const labels: Record<string, string> = {};
  for (const label of (values.label ?? []) as string[]) {
    const eq = label.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--label takes key=value, got "${label}"`);
    }
    labels[label.slice(0, eq)] = label.slice(eq + 1);
  }
  const out = typeof values.out === 'string' ? values.out : defaultSealedFile(namespace, name);
  let result: SealResult;
  try {
    result = sealSecret({
      cert: fs.readFileSync(cert, 'utf8'),
      certSource: cert,
      namespace,
      name,
      scope: values.scope as SealingScope | undefined,
      type: values.type as string | undefined,
      labels: Object.keys(labels).length > 0 ? labels : undefined,
      values: sealInputs(values, positionals),
      existing: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined,
    });
  } catch (e) {
    if (e instanceof UsageError) {
      throw e;
    }
    process.stderr.write(`cannot seal ${namespace}/${name}: ${(e as Error).message}\nnothing was written\n`);
    return 1;
  }
  if ('problems' in result) {
    for (const p of result.problems) {
      process.stderr.write(`${namespace}/${name}: ${p.field} ${p.message}${p.fix ? `; ${p.fix}` : ''}\n`);
    }
    process.stderr.write(`${result.problems.length} problem(s): nothing was written\n`);
    return 1;
  }
  writeSealedFile(out, result.manifest);
  process.stdout.write(
    `sealed ${result.sealedKeys.join(', ')} into ${out} (scope ${values.scope ?? 'strict'})\nnext: new SealedSecret(chart, 'Secret', { name: '${name}', namespace: '${namespace}', file: '${out}' }), then synthesize\n`,
  );
  return 0;
}

function diff(args: string[]): number {
  const { values, positionals } = parse(args, {
    against: { type: 'string' },
    format: { type: 'string' },
    outdir: { type: 'string' },
    synthesized: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`diff takes no arguments, got ${positionals.join(' ')}`);
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'markdown') {
    throw new UsageError(`--format must be text or markdown, got ${format}`);
  }
  const result = diffProject({
    cwd: process.cwd(),
    against: values.against as string | undefined,
    outdir: (values.outdir as string | undefined) ?? 'dist',
    synthesized: values.synthesized as string | undefined,
    format,
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.status;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case '--version':
      case '-v':
        process.stdout.write(`${version()}\n`);
        return 0;
      case 'new':
        return newApp(rest);
      case 'validate':
        return validate(rest);
      case 'seal':
        return seal(rest);
      case 'diff':
        return diff(rest);
      default:
        throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
