import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeRegExp } from '../core/value-rules';

/**
 * The signals that wait while output is being replaced: Ctrl-C, `kill` and a
 * closed terminal. SIGKILL cannot be caught; what it can leave is recovered
 * by the next write (see {@link recoverOutput}).
 */
const HELD_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `work`, which must be synchronous, so that SIGINT, SIGTERM and SIGHUP
 * cannot stop it half-way. Node runs JavaScript signal listeners only between
 * synchronous runs, so a listener in place during `work` delays the signal to
 * its end; it then takes the signal's default action (the process ends as it
 * would have, with the same status), unless the program listens for that
 * signal itself. The listeners stay one turn of the event loop, long enough
 * to receive a signal that arrived during `work`.
 */
export function withSignalsHeld<T>(work: () => T): T {
  const held = HELD_SIGNALS.filter((signal) => process.listenerCount(signal) === 0);
  const listener = (signal: NodeJS.Signals): void => {
    release();
    if (process.listenerCount(signal) === 0) {
      process.kill(process.pid, signal);
    }
  };
  const release = (): void => {
    for (const signal of held) {
      process.removeListener(signal, listener);
    }
  };
  for (const signal of held) {
    process.on(signal, listener);
  }
  try {
    return work();
  } finally {
    setImmediate(release);
  }
}

/** The three states of a folder this module makes beside the output: being written, complete, replaced. */
type LeftoverState = 'tmp' | 'new' | 'old';

/** A sibling folder made by {@link writeFilesAtomically}, by its name. */
interface Leftover {
  readonly full: string;
  readonly state: LeftoverState;
}

/** `.dist.tmp-<pid>-XXXXXX`: the name of a folder written for `dist` by process `pid`. */
function leftoverPattern(base: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(base)}\\.(tmp|new|old)-(\\d+)-[A-Za-z0-9]{6}$`);
}

/** Whether process `pid` still runs (so a folder it is writing must be left alone). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The first entry under `dir` that is not a manifest (`.yaml` file) or a folder of them. */
function firstForeignEntry(dir: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = firstForeignEntry(full);
      if (inner !== undefined) {
        return inner;
      }
    } else if (!(entry.isFile() && /\.ya?ml$/.test(entry.name))) {
      return full;
    }
  }
  return undefined;
}

/**
 * The folders an earlier write of `target` left beside it when it was killed
 * (SIGKILL, a crash, a power cut): only folders named as this module names
 * them, made by a process that no longer runs, and holding manifests only.
 */
function leftoversOf(target: string): Leftover[] {
  const parent = path.dirname(target);
  if (!fs.existsSync(parent)) {
    return [];
  }
  const pattern = leftoverPattern(path.basename(target));
  const found: Leftover[] = [];
  for (const entry of fs.readdirSync(parent, { withFileTypes: true })) {
    const match = pattern.exec(entry.name);
    if (match === null || !entry.isDirectory()) {
      continue;
    }
    const pid = Number(match[2]);
    const full = path.join(parent, entry.name);
    if (!isRunning(pid) && firstForeignEntry(full) === undefined) {
      found.push({ full, state: match[1] as LeftoverState });
    }
  }
  return found.sort((a, b) => a.full.localeCompare(b.full));
}

/**
 * Recovers `outdir` from a write that was killed, then sweeps what it left.
 * A write is killed at one of these points, and leaves:
 * - while writing: a `.<name>.tmp-*` folder, incomplete; `outdir` untouched;
 * - after writing: a `.<name>.new-*` folder, complete; `outdir` untouched;
 * - between the two renames of the swap (an instant): no `outdir`, the
 *   previous output whole in `.<name>.old-*` and the new one in `.<name>.new-*`;
 * - after the swap: the new `outdir` and the previous one in `.<name>.old-*`.
 * When `outdir` is missing, the previous output (`old`) is put back, or
 * else the complete new one; then every other leftover is deleted.
 * Returns what was put back, if anything.
 */
export function recoverOutput(outdir: string): string | undefined {
  const target = path.resolve(outdir);
  const leftovers = leftoversOf(target);
  let restored: string | undefined;
  if (!fs.existsSync(target)) {
    const previous = leftovers.find((l) => l.state === 'old') ?? leftovers.find((l) => l.state === 'new');
    if (previous !== undefined) {
      fs.renameSync(previous.full, target);
      restored = previous.full;
    }
  }
  for (const leftover of leftovers) {
    if (leftover.full !== restored) {
      fs.rmSync(leftover.full, { recursive: true, force: true });
    }
  }
  return restored;
}

/**
 * Refuses to replace a folder that synth does not own: the working folder or
 * one of its parents, or a folder holding anything but manifests (`.yaml`
 * files, and folders of them). Replacing such a folder would delete work.
 */
export function assertReplaceable(outdir: string): void {
  if (outdir.trim() === '') {
    throw new Error('refusing to write manifests: the output folder is an empty string; give a folder such as "dist"');
  }
  const target = path.resolve(outdir);
  const relative = path.relative(target, process.cwd());
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(`refusing to replace ${target}: it is the working folder or one of its parents; give a folder of its own, such as "dist"`);
  }
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) {
      throw new Error(`refusing to replace ${target}: it is a file, not a folder of manifests`);
    }
    const stranger = firstForeignEntry(target);
    if (stranger !== undefined) {
      throw new Error(`refusing to replace ${target}: it holds ${stranger}, which synth did not write; point the output at a folder of manifests only`);
    }
  }
}

/**
 * Writes the files into `outdir` as a whole. They go to a fresh sibling
 * folder (`.<name>.tmp-<pid>-*`), renamed `.<name>.new-*` once complete,
 * which then takes the place of `outdir` by two renames, microseconds
 * apart. If anything fails before the swap, `outdir` is left exactly as it
 * was. SIGINT, SIGTERM and SIGHUP wait until the write is over (see
 * {@link withSignalsHeld}); what SIGKILL or a crash leaves is put right by
 * the next write (see {@link recoverOutput}). Only a folder of manifests is
 * ever replaced (see {@link assertReplaceable}).
 */
export function writeFilesAtomically(outdir: string, files: Iterable<readonly [string, string]>): void {
  assertReplaceable(outdir);
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  withSignalsHeld(() => {
    recoverOutput(target);
    const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-${process.pid}-`));
    const complete = staging.replace(/\.tmp-(\d+-[A-Za-z0-9]{6})$/, '.new-$1');
    const old = staging.replace(/\.tmp-(\d+-[A-Za-z0-9]{6})$/, '.old-$1');
    try {
      fs.chmodSync(staging, 0o755);
      for (const [name, content] of files) {
        const file = path.join(staging, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
      fs.renameSync(staging, complete);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw e;
    }
    const replacing = fs.existsSync(target);
    if (replacing) {
      fs.renameSync(target, old);
    }
    try {
      fs.renameSync(complete, target);
    } catch (e) {
      if (replacing) {
        fs.renameSync(old, target);
      }
      fs.rmSync(complete, { recursive: true, force: true });
      throw e;
    }
    if (replacing) {
      fs.rmSync(old, { recursive: true, force: true });
    }
  });
}

/**
 * Replaces one file whole (never half-written): the content goes to
 * `<file>.<pid>.tmp`, renamed over `file`, with SIGINT, SIGTERM and SIGHUP
 * held meanwhile. Such temporary files of processes that no longer run
 * (killed by SIGKILL) are deleted first.
 */
export function writeFileAtomically(file: string, content: string): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const stale = new RegExp(`^${escapeRegExp(path.basename(file))}\\.(\\d+)\\.tmp$`);
  withSignalsHeld(() => {
    for (const name of fs.readdirSync(dir)) {
      const pid = stale.exec(name)?.[1];
      if (pid !== undefined && !isRunning(Number(pid))) {
        fs.rmSync(path.join(dir, name), { force: true });
      }
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  });
}
