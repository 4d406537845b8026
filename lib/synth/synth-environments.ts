import type { SynthesizedFile } from '../core/manifest';
import { closest } from '../core/nearest-name';
import { formatProblem, HomelabError, type Problem } from '../core/problems';
import type { HomelabApp } from './homelab-app';
import { mirrorOutdirOf, writeManifests } from './synthesizer';

/** What {@link synthEnvironments} needs of an environment (an `Environment` has it). */
export interface NamedEnvironment {
  /** The environment's name: its folder under `outdir` and the prefix of its problems. */
  readonly name: string;
  /** Settings it holds for apps that did not use them, once its apps are built (an `Environment`'s image tags). */
  unusedImageTags?(): readonly UnusedImageTag[];
}

/** An image tag an environment holds for an app that never asked for it. */
export interface UnusedImageTag {
  /** The app it names. */
  readonly app: string;
  /** The tag. */
  readonly tag: string;
  /** The apps that did ask for their image. */
  readonly apps: readonly string[];
}

/** Options of {@link synthEnvironments}. */
export interface SynthEnvironmentsOptions {
  /**
   * The folder that receives one subfolder per environment.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * A second folder that receives a copy (the cdk8s CLI's output).
   * @default - process.env.CDK8S_OUTDIR, when set, not empty, and different from `outdir`
   */
  readonly mirrorOutdir?: string;
}

/**
 * Synthesizes several environments into `outdir/<environment>/`: `build`
 * makes the HomelabApp of one environment. Every environment is built and
 * checked first, and every problem of every environment reported at once
 * (prefixed with its environment); only then is `outdir` replaced, as a whole.
 * Returns the synthesized files of each environment.
 */
export function synthEnvironments<E extends NamedEnvironment>(
  environments: readonly E[],
  build: (env: E) => HomelabApp,
  options: SynthEnvironmentsOptions = {},
): Map<string, SynthesizedFile[]> {
  const problems: Problem[] = [];
  const synthesized = new Map<string, SynthesizedFile[]>();
  const seen = new Set<string>();
  const prefixed = (env: string, p: Problem): Problem => ({ ...p, app: `${env}/${p.app}` });
  for (const env of environments) {
    if (seen.has(env.name)) {
      throw new Error(`synthEnvironments: environment "${env.name}" is listed twice`);
    }
    seen.add(env.name);
    try {
      const app = build(env);
      problems.push(...unusedSettings(env));
      const envFiles = app.synthFiles();
      synthesized.set(env.name, envFiles);
      for (const w of app.warnings) {
        process.stderr.write(`${formatProblem(prefixed(env.name, w))}\n`);
      }
    } catch (e) {
      if (!HomelabError.isHomelabError(e)) {
        throw e;
      }
      problems.push(...e.problems.map((p) => prefixed(env.name, p)));
    }
  }
  if (problems.length > 0) {
    throw new HomelabError(problems);
  }
  function* byEnvironment(): Generator<[string, SynthesizedFile]> {
    for (const [env, envFiles] of synthesized) {
      for (const f of envFiles) {
        yield [`${env}/${f.fileName}`, f];
      }
    }
  }
  const outdir = options.outdir ?? 'dist';
  writeManifests(outdir, byEnvironment(), mirrorOutdirOf(outdir, options.mirrorOutdir));
  return synthesized;
}

/** A problem per setting of the environment that names an app that never used it. */
function unusedSettings(env: NamedEnvironment): Problem[] {
  return (env.unusedImageTags?.() ?? []).map(({ app, tag, apps }) => {
    const near = closest(app, apps);
    return {
      app: env.name,
      path: `environment ${env.name}`,
      field: `props.imageTags.${app}`,
      value: tag,
      message: 'names no app that asks for its image here (env.image)',
      fix: near !== undefined ? `did you mean "${near}"?` : apps.length > 0 ? `use one of ${apps.join(', ')}` : 'remove it',
    };
  });
}
