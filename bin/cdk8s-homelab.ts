#!/usr/bin/env node
import { type ManifestValidationResult, validateManifestFiles } from '../lib/checks/manifest-validation';
import { formatProblem } from '../lib/core/problems';
import { scaffoldApp } from '../lib/tools/scaffold';

const USAGE = `usage: cdk8s-homelab validate [--allow-cross-namespace] <file or folder>...
       cdk8s-homelab new <app> --image <image:tag> --host <host or subdomain> [--port <port>]

validate  checks Kubernetes YAML (hand-written or synthesized) the way every synth
          does: strict schemas (Kubernetes 1.28, Traefik v3, K3s helm-controller),
          the whole-cluster checks and the security policy. Exits 0 when everything
          is valid, 1 on problems, 2 on usage errors.
new       writes apps/<app>.ts from a template and registers it in apps/index.ts
          (run it in the project's root). Exits 1 when the app cannot be created.`;

function newApp(args: string[]): number {
  const [name, ...rest] = args;
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    if (!['--image', '--host', '--port'].includes(flag) || rest[i + 1] === undefined) {
      process.stderr.write(`unknown or incomplete option ${flag}\n${USAGE}\n`);
      return 2;
    }
    options[flag.slice(2)] = rest[i + 1];
  }
  if (name === undefined || name.startsWith('-') || options.image === undefined || options.host === undefined) {
    process.stderr.write(`new needs an app name, --image and --host\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = scaffoldApp(process.cwd(), {
      name,
      image: options.image,
      host: options.host,
      port: options.port !== undefined ? Number(options.port) : undefined,
    });
    process.stdout.write(`wrote ${result.file}\nregistered it in ${result.index}\nnext: npm run synth, and review git diff dist/\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`cannot create app "${name}":\n${(e as Error).message}\n`);
    return 1;
  }
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'new') {
    return newApp(rest);
  }
  if (command !== 'validate') {
    process.stderr.write(`${command === undefined ? 'missing command' : `unknown command "${command}"`}\n${USAGE}\n`);
    return 2;
  }
  const allowCrossNamespace = rest.includes('--allow-cross-namespace');
  const unknownFlags = rest.filter((a) => a.startsWith('-') && a !== '--allow-cross-namespace');
  const paths = rest.filter((a) => !a.startsWith('-'));
  if (unknownFlags.length > 0 || paths.length === 0) {
    process.stderr.write(`${unknownFlags.length > 0 ? `unknown option ${unknownFlags[0]}` : 'no file or folder given'}\n${USAGE}\n`);
    return 2;
  }
  let result: ManifestValidationResult;
  try {
    result = validateManifestFiles(paths, { cluster: { allowCrossNamespace } });
  } catch (e) {
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

process.exitCode = main(process.argv.slice(2));
