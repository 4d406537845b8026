import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { yamlLibrary } from '../core/yaml-writer';
import { PLAN_OUTDIR_VARIABLE } from '../synth/synthesizer';
import { isEmptyPlan, type ManifestTree, planChanges, readManifestFolder, readManifestsAtRef } from './plan';
import { formatPlan, type PlanFormat } from './plan-format';

/** What `cdk8s-homelab diff` compares, and how it prints. */
export interface DiffOptions {
  /** The project's root folder (where `cdk8s.yaml` is). */
  readonly cwd: string;
  /** What to compare with: a folder, or a Git revision of the project (its `outdir` then). */
  readonly against?: string;
  /** The project's output folder, relative to `cwd`. */
  readonly outdir: string;
  /** An already synthesized folder to compare, instead of synthesizing. */
  readonly synthesized?: string;
  /** Text or Markdown. */
  readonly format: PlanFormat;
}

/** The printed plan, and the exit status: 0 nothing changes, 1 something does, 2 the synth or a read failed. */
export interface DiffResult {
  /** What goes to standard output. */
  readonly stdout: string;
  /** What goes to standard error. */
  readonly stderr: string;
  /** The exit status. */
  readonly status: 0 | 1 | 2;
}

/**
 * Synthesizes the project into a scratch folder (its `cdk8s.yaml` app
 * command, told by CDK8S_HOMELAB_PLAN_OUTDIR to write there and nothing
 * else) and compares it, object by object, with `dist/` or what `against` names.
 */
export function diffProject(options: DiffOptions): DiffResult {
  const scratch = options.synthesized === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-plan-')) : undefined;
  try {
    let after: ManifestTree;
    if (scratch === undefined) {
      after = readManifestFolder(path.resolve(options.cwd, options.synthesized ?? ''));
    } else {
      const failed = synthesizeInto(options.cwd, scratch);
      if (failed !== undefined) {
        return { stdout: '', stderr: failed, status: 2 };
      }
      after = readManifestFolder(scratch);
    }
    const before = baseline(options);
    const plan = planChanges(before, after);
    return { stdout: formatPlan(plan, options.format), stderr: '', status: isEmptyPlan(plan) ? 0 : 1 };
  } catch (e) {
    return { stdout: '', stderr: `diff failed: ${(e as Error).message}\n`, status: 2 };
  } finally {
    if (scratch !== undefined) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}

/** The manifests to compare with: a folder, or the output folder at a Git revision. */
function baseline(options: DiffOptions): ManifestTree {
  const against = options.against ?? options.outdir;
  const folder = path.resolve(options.cwd, against);
  if (fs.existsSync(folder) && fs.statSync(folder).isDirectory()) {
    return readManifestFolder(folder);
  }
  try {
    return readManifestsAtRef(against, options.outdir, options.cwd);
  } catch (e) {
    const detail = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    throw new Error(`--against ${against} is neither a folder nor a Git revision with ${options.outdir}/ (${detail.split('\n')[0]})`);
  }
}

/** Runs the project's synth (the `app:` command of its cdk8s.yaml) into `outdir`; its error output when it fails. */
function synthesizeInto(cwd: string, outdir: string): string | undefined {
  const command = appCommand(cwd);
  const run = spawnSync(command, {
    cwd,
    shell: true,
    encoding: 'utf8',
    env: { ...process.env, [PLAN_OUTDIR_VARIABLE]: outdir, CDK8S_OUTDIR: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status === 0) {
    return undefined;
  }
  return `synth failed (${command}), nothing compared:\n${run.stderr || run.stdout || String(run.error ?? '')}`;
}

/** The synth command of the project: the `app:` of its cdk8s.yaml. */
function appCommand(cwd: string): string {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) {
    throw new Error(`no cdk8s.yaml in ${cwd}: run diff in the project's root, or give --synthesized <folder>`);
  }
  const app = (yamlLibrary().parse(fs.readFileSync(file, 'utf8')) as { app?: unknown } | null)?.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new Error(`${file} has no app: command`);
  }
  return app;
}
