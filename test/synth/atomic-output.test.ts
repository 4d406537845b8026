import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverOutput, writeFileAtomically, writeFilesAtomically } from '../../lib/synth/atomic-output';
import { PROJECT_ROOT } from '../helpers';

// A synth killed at any point leaves dist/ whole (the old output or the new
// one), SIGINT leaves nothing else behind, and the next synth sweeps what
// SIGKILL left. The synth runs in a child process (the compiled library),
// which sends itself the signal just before its k-th file-system change, for
// every k: every point of the write, not a few points chosen by a timer.

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'interrupt', 'synth.cjs');
const LIB = path.join(PROJECT_ROOT, 'build', 'lib');
const { synth } = createRequire(import.meta.url)(FIXTURE) as { synth(lib: string, outdir: string, tag: string): void };
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-interrupt-'));

type Tree = Record<string, string>;

/** Every file under `dir`, by relative path; undefined when `dir` does not exist. */
function readTree(dir: string): Tree | undefined {
  if (!fs.existsSync(dir)) {
    return undefined;
  }
  const names = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((n) => fs.statSync(path.join(dir, n)).isFile())
    .sort();
  return Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8')]));
}

function copyTree(tree: Tree, dir: string): void {
  for (const [name, content] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

interface Run {
  readonly signal: NodeJS.Signals | null;
  readonly status: number | null;
  readonly stdout: string;
}

function runFixture(outdir: string, tag: string, signal?: NodeJS.Signals, at?: number): Promise<Run> {
  const args = [FIXTURE, LIB, outdir, tag, ...(signal === undefined ? [] : [signal, String(at)])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status, sig) => resolve({ signal: sig, status, stdout }));
  });
}

/** Runs the jobs, at most `width` at once, keeping their order. */
async function inParallel<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

let OLD: Tree;
let NEW: Tree;
let changes: number;

beforeAll(async () => {
  const first = path.join(scratch, 'first');
  expect((await runFixture(path.join(first, 'dist'), '1.0.0')).status).toBe(0);
  OLD = readTree(path.join(first, 'dist')) ?? {};
  const second = await runFixture(path.join(first, 'dist'), '1.1.0');
  expect(second.status).toBe(0);
  NEW = readTree(path.join(first, 'dist')) ?? {};
  changes = Number(second.stdout.trim());
  expect(Object.keys(OLD)).toEqual(['prod/blog.k8s.yaml', 'staging/blog.k8s.yaml']);
  expect(Object.keys(NEW)).toEqual(Object.keys(OLD));
  expect(NEW).not.toEqual(OLD);
  expect(changes).toBeGreaterThan(8);
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A project whose committed dist/ is the new output and whose dist/ on disk is the old one. */
function project(name: string): string {
  const dir = path.join(scratch, name);
  copyTree(NEW, path.join(dir, 'dist'));
  git(dir, 'init', '-q');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'empty');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'new output');
  fs.rmSync(path.join(dir, 'dist'), { recursive: true });
  copyTree(OLD, path.join(dir, 'dist'));
  return dir;
}

/** The folders named `.dist.<state>-*` in `dir`. */
const leftoversOf = (dir: string, state: string) => fs.readdirSync(dir).filter((n) => n.startsWith(`.dist.${state}-`));

describe('an interrupted synth', () => {
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`killed by ${signal} before any of its file-system changes leaves dist/ whole, and the next synth leaves git status clean`, async () => {
      // SIGKILL before every change; SIGINT before every other one (it waits for the write
      // to end wherever it lands inside it) and before the first and the last.
      const points = Array.from({ length: changes }, (_, i) => i + 1).filter((k) => signal === 'SIGKILL' || k % 2 === 1 || k === changes);
      const outcomes = await inParallel(
        points.map((k) => async () => {
          const dir = project(`${signal}-${k}`);
          const run = await runFixture(path.join(dir, 'dist'), '1.1.0', signal, k);
          const dist = readTree(path.join(dir, 'dist'));
          const entries = fs
            .readdirSync(dir)
            .filter((n) => n !== '.git')
            .sort();
          let outcome: string;
          if (dist === undefined) {
            // Only SIGKILL, only between the two renames of the swap: both outputs lie whole beside it.
            const [old] = leftoversOf(dir, 'old');
            const [complete] = leftoversOf(dir, 'new');
            expect(readTree(path.join(dir, old))).toEqual(OLD);
            expect(readTree(path.join(dir, complete))).toEqual(NEW);
            outcome = 'none, recoverable';
          } else {
            expect([OLD, NEW]).toContainEqual(dist);
            outcome = JSON.stringify(dist) === JSON.stringify(OLD) ? 'old' : 'new';
          }
          if (signal === 'SIGINT') {
            // Ctrl-C waits for the write to end, then ends the process as usual, with nothing left behind.
            expect(run.signal).toBe('SIGINT');
            expect(entries).toEqual(['dist']);
          } else {
            expect(run.signal).toBe('SIGKILL');
          }
          // The next synth puts everything right.
          synth(LIB, path.join(dir, 'dist'), '1.1.0');
          expect(readTree(path.join(dir, 'dist'))).toEqual(NEW);
          expect(git(dir, 'status', '--porcelain', '--ignored')).toBe('');
          return outcome;
        }),
        4,
      );
      // Every point was reached: early kills keep the old output, late ones give the new.
      expect(outcomes[0]).toBe('old');
      expect(outcomes[outcomes.length - 1]).toBe('new');
      if (signal === 'SIGKILL') {
        // Exactly one point (between the two renames) leaves no dist/, and it is recovered.
        expect(outcomes.filter((o) => o === 'none, recoverable')).toHaveLength(1);
        expect(outcomes).toContain('new');
      } else {
        expect(outcomes).not.toContain('none, recoverable');
      }
    });
  }
});

describe('recoverOutput', () => {
  it('puts back the previous output when the swap was cut between its renames, and sweeps only its own leftovers', () => {
    const dir = path.join(scratch, 'recover');
    copyTree({ 'a.k8s.yaml': 'old' }, path.join(dir, '.dist.old-999999999-abcDEF'));
    copyTree({ 'a.k8s.yaml': 'new' }, path.join(dir, '.dist.new-999999999-abcDEF'));
    copyTree({ 'a.k8s.yaml': 'half' }, path.join(dir, '.dist.tmp-999999998-xyz123'));
    // Not ours: another name, a running process (this one), or something other than manifests.
    copyTree({ 'a.k8s.yaml': 'x' }, path.join(dir, '.dist.old-keep'));
    copyTree({ 'a.k8s.yaml': 'x' }, path.join(dir, `.dist.tmp-${process.pid}-abcdef`));
    copyTree({ 'notes.txt': 'mine' }, path.join(dir, '.dist.old-999999997-abcdef'));
    expect(recoverOutput(path.join(dir, 'dist'))).toBe(path.join(dir, '.dist.old-999999999-abcDEF'));
    expect(readTree(path.join(dir, 'dist'))).toEqual({ 'a.k8s.yaml': 'old' });
    expect(fs.readdirSync(dir).sort()).toEqual(['.dist.old-999999997-abcdef', '.dist.old-keep', `.dist.tmp-${process.pid}-abcdef`, 'dist']);
    // With dist/ in place, a complete new output left over is swept, not used.
    copyTree({ 'a.k8s.yaml': 'new' }, path.join(dir, '.dist.new-999999999-abcDEF'));
    expect(recoverOutput(path.join(dir, 'dist'))).toBeUndefined();
    expect(readTree(path.join(dir, 'dist'))).toEqual({ 'a.k8s.yaml': 'old' });
    writeFilesAtomically(path.join(dir, 'dist'), [['b.k8s.yaml', 'b']]);
    expect(fs.readdirSync(dir).sort()).toEqual(['.dist.old-999999997-abcdef', '.dist.old-keep', `.dist.tmp-${process.pid}-abcdef`, 'dist']);
    expect(readTree(path.join(dir, 'dist'))).toEqual({ 'b.k8s.yaml': 'b' });
  });

  it('writes single files whole and sweeps the temporary files of killed processes only', () => {
    const dir = path.join(scratch, 'single');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cluster.svg.999999999.tmp'), 'half');
    fs.writeFileSync(path.join(dir, `cluster.svg.${process.pid}.tmp.keep`), 'x');
    fs.writeFileSync(path.join(dir, 'other.svg.999999999.tmp'), 'x');
    writeFileAtomically(path.join(dir, 'cluster.svg'), '<svg/>');
    expect(fs.readdirSync(dir).sort()).toEqual(['cluster.svg', `cluster.svg.${process.pid}.tmp.keep`, 'other.svg.999999999.tmp']);
    expect(fs.readFileSync(path.join(dir, 'cluster.svg'), 'utf8')).toBe('<svg/>');
  });
});
