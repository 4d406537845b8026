import { OUTPUT_FOLDERS } from '../core/output-layers';
import { HomelabError, type Problem } from '../core/problems';
import type { PropNames } from '../core/prop-names';
import { shapeProblems } from '../core/prop-names';
import { isDnsLabel, isHostname, parseImage } from '../core/value-rules';
import type { UnusedImageTag } from '../synth/synth-environments';

/** Props of {@link Environment}. */
export interface EnvironmentProps {
  /** The environment's name, also its folder under `dist/`, e.g. `prod`. */
  readonly name: string;
  /** The domain its apps are served under, e.g. `julesfournier.fr` or `staging.julesfournier.fr`. */
  readonly domain: string;
  /**
   * The number of pods apps run by default.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Image tags that replace those of the apps, by app name, e.g. `{ gazette: '1.5.0-rc.1' }`.
   * @default - the apps' own tags
   */
  readonly imageTags?: Record<string, string>;
  /**
   * Whether certificates come from Let's Encrypt's staging CA.
   * @default false
   */
  readonly acmeStaging?: boolean;
}

/** The prop names of {@link EnvironmentProps}, to find unknown ones at run time. */
const ENVIRONMENT_PROPS_FIELDS: PropNames<EnvironmentProps> = {
  name: 'string',
  domain: 'string',
  replicas: 'number?',
  imageTags: 'object?',
  acmeStaging: 'boolean?',
};

/**
 * One environment of the cluster (the overlay of the Kustomize idea, in
 * code): the same app functions build every environment, reading their
 * domain, replicas and image tags from it.
 */
export class Environment {
  /** The environment's name. */
  public readonly name: string;
  /** The domain its apps are served under. */
  public readonly domain: string;
  /** The default number of pods. */
  public readonly replicas: number;
  /** Whether certificates come from the staging CA. */
  public readonly acmeStaging: boolean;
  private readonly imageTags: Readonly<Record<string, string>>;
  private readonly askedForImage = new Set<string>();

  constructor(props: EnvironmentProps) {
    const problems: Problem[] = [];
    const bad = (field: string, value: unknown, message: string, fix?: string) =>
      problems.push({ app: props.name || '(environment)', path: `environment ${props.name}`, field, value, message, fix });
    for (const p of shapeProblems('props', props, ENVIRONMENT_PROPS_FIELDS, 'Environment')) {
      bad(p.field, p.value, p.message, p.fix);
    }
    if (!isDnsLabel(props.name)) {
      bad('props.name', props.name, 'is not a valid environment name', 'use lowercase letters, digits and "-"');
    }
    if (OUTPUT_FOLDERS.includes(props.name)) {
      bad('props.name', props.name, 'is the name of a folder inside each environment output', 'name the environment otherwise, e.g. prod or staging');
    }
    if (!isHostname(props.domain)) {
      bad('props.domain', props.domain, 'is not a valid DNS name');
    }
    if (props.replicas !== undefined && !(Number.isInteger(props.replicas) && props.replicas >= 0)) {
      bad('props.replicas', props.replicas, 'must be a whole number, 0 or more');
    }
    for (const [app, tag] of Object.entries(props.imageTags ?? {})) {
      if (parseImage(`x:${tag}`)?.tag !== tag) {
        bad(`props.imageTags.${app}`, tag, 'is not a valid image tag');
      }
    }
    if (problems.length > 0) {
      throw new HomelabError(problems);
    }
    this.name = props.name;
    this.domain = props.domain;
    this.replicas = props.replicas ?? 1;
    this.acmeStaging = props.acmeStaging ?? false;
    this.imageTags = { ...props.imageTags };
  }

  /** A host of the environment: `sub.domain`, or the domain itself. */
  public host(sub?: string): string {
    return sub ? `${sub}.${this.domain}` : this.domain;
  }

  /** The image an app runs here: its own, with the environment's tag when it sets one. */
  public image(app: string, image: string): string {
    this.askedForImage.add(app);
    const tag = this.imageTags[app];
    if (tag === undefined) {
      return image;
    }
    const ref = parseImage(image);
    if (!ref) {
      return image; // the app's own check reports it
    }
    return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}:${tag}`;
  }

  /**
   * The image tags given for apps that never asked for their image (with
   * {@link Environment.image}) once the environment's apps are built: a typo in
   * `imageTags`, or an app that is gone. `synthEnvironments` reports them.
   */
  public unusedImageTags(): UnusedImageTag[] {
    const asked = [...this.askedForImage].sort();
    return Object.entries(this.imageTags)
      .filter(([app]) => !this.askedForImage.has(app))
      .map(([app, tag]) => ({ app, tag, apps: asked }));
  }
}
