// Types only: probes are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.

import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { Json } from '../../core/json';
import type { Problem } from '../../core/problems';
import type { PropNames } from '../../core/prop-names';
import { shapeProblems } from '../../core/prop-names';

/** Timing of a probe; every field maps to the Kubernetes field of the same name. */
export interface ProbeOptions {
  /**
   * The container port to probe (HTTP and TCP probes).
   * @default - the app's container port
   */
  readonly port?: number;
  /**
   * Seconds after the container started before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between two probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which one probe counts as failed.
   * @default 2
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before Kubernetes acts (restart, or out of the Service).
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** The prop names of {@link ProbeOptions}, to find unknown ones at run time. */
const PROBE_OPTIONS_FIELDS: PropNames<ProbeOptions> = {
  port: 'number?',
  initialDelaySeconds: 'number?',
  periodSeconds: 'number?',
  timeoutSeconds: 'number?',
  failureThreshold: 'number?',
};

/** A problem of a probe, below the prop that holds it. */
type ProbeProblem = Omit<Problem, 'app' | 'path'>;

type ProbeAction = { readonly kind: 'http'; readonly path: string } | { readonly kind: 'tcp' } | { readonly kind: 'exec'; readonly command: readonly string[] };

/**
 * How Kubernetes checks that a container is alive, ready or started.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class Probe {
  /**
   * An HTTP GET on `path` that succeeds with a status from 200 to 399. A path
   * that does not start with `/` is reported by the workload that uses the probe.
   */
  public static http(path: string, options: ProbeOptions = {}): Probe {
    return new Probe({ kind: 'http', path }, options);
  }

  /** A TCP connection to the port that succeeds when the port accepts it. */
  public static tcp(options: ProbeOptions = {}): Probe {
    return new Probe({ kind: 'tcp' }, options);
  }

  /**
   * A command run in the container that succeeds when it exits 0. An empty
   * command is reported by the workload that uses the probe.
   */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ kind: 'exec', command: [...command] }, options);
  }

  private constructor(
    private readonly action: ProbeAction,
    private readonly options: ProbeOptions,
  ) {}

  /**
   * What is wrong with the probe, each as the field (below the probe's prop),
   * the value, the message and the fix; empty when nothing is.
   * @internal
   */
  public problems(): ProbeProblem[] {
    const a = this.action;
    const problems: ProbeProblem[] = shapeProblems('options', this.options, PROBE_OPTIONS_FIELDS, 'ProbeOptions');
    if (a.kind === 'http' && !a.path.startsWith('/')) {
      problems.push({ field: 'path', value: a.path, message: 'must start with "/"', fix: `write Probe.http('/${a.path}')` });
    }
    if (a.kind === 'exec' && a.command.length === 0) {
      problems.push({ field: 'command', value: [], message: 'must not be empty', fix: "give the command, e.g. Probe.exec(['pg_isready'])" });
    }
    return problems;
  }

  /** The kind of check: `http`, `tcp` or `exec`. */
  public get kind(): 'http' | 'tcp' | 'exec' {
    return this.action.kind;
  }

  /** Whether the probe needs a port (HTTP and TCP probes without their own port). */
  public get needsPort(): boolean {
    return this.action.kind !== 'exec' && this.options.port === undefined;
  }

  /** The port this probe targets, or undefined when it uses the container's port (or none). */
  public get port(): number | undefined {
    return this.options.port;
  }

  /** Renders the Kubernetes probe for a container listening on `containerPort`. */
  public toKube(containerPort: number): Json<k8s.Probe> {
    const o = this.options;
    const timing = {
      initialDelaySeconds: o.initialDelaySeconds,
      periodSeconds: o.periodSeconds ?? 10,
      timeoutSeconds: o.timeoutSeconds ?? 2,
      failureThreshold: o.failureThreshold ?? 3,
    };
    const port = o.port ?? containerPort;
    switch (this.action.kind) {
      case 'http':
        return { httpGet: { path: this.action.path, port }, ...timing };
      case 'tcp':
        return { tcpSocket: { port }, ...timing };
      case 'exec':
        return { exec: { command: [...this.action.command] }, ...timing };
    }
  }
}
