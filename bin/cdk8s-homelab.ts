#!/usr/bin/env node
import { formatProblem } from '../lib/errors';
import { validateManifestFiles } from '../lib/manifest-validation';

const USAGE = `usage: cdk8s-homelab validate [--allow-cross-namespace] <file or folder>...

Validates Kubernetes YAML (hand-written or synthesized) the way every synth does:
strict schemas (Kubernetes 1.28, Traefik v3, K3s helm-controller) and the
whole-cluster checks. Exits 0 when everything is valid, 1 on problems, 2 on usage errors.`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
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
  let result;
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
