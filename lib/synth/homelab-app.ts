import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { synthChecks } from '../checks/manifest-validation';
import type { CustomResourceDefinition } from '../checks/schema/schema-types';
import { SchemaValidator } from '../checks/schema/schema-validator';
import { hasBrand, setBrand } from '../core/brand';
import { type ClusterCheck, type ClusterContext, resolveClusterContext } from '../core/cluster-check';
import { type ClusterProfile, K3S, profileProblems, setClusterProfile } from '../core/cluster-profile';
import { setFailFast } from '../core/deferred-problems';
import { declareHandMadeSecrets, handMadeSecretsOf, isSecretPath } from '../core/hand-made-secrets';
import { type KubernetesVersion, resolveKubernetesVersion, setKubernetesVersion } from '../core/kubernetes-version';
import type { SynthesizedFile } from '../core/manifest';
import { OUTPUT_FOLDERS, setPlatformFirst } from '../core/output-layers';
import { formatProblem, HomelabError, type Problem } from '../core/problems';
import { type PropNames, shapeProblems } from '../core/prop-names';
import { setKeptLayout } from '../core/prune-protection';
import { isDnsLabel, isDnsSubdomain } from '../core/value-rules';
import { yamlLibrary } from '../core/yaml-writer';
import { reportFailure } from './run-main';
import { mirrorOutdirOf, renderYaml, synthesizeFiles, writeManifests } from './synthesizer';

/** Props of {@link HomelabApp}. */
export interface HomelabAppProps {
  /**
   * The folder the manifests are written to, one `<app>.k8s.yaml` per app.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * A second folder that receives a copy of the manifests. The cdk8s CLI
   * passes its `output` folder in CDK8S_OUTDIR and lists (and validates) what
   * it finds there.
   * @default - process.env.CDK8S_OUTDIR, when it is set, not empty, and differs from `outdir`
   */
  readonly mirrorOutdir?: string;
  /**
   * Extra whole-cluster checks run before anything is written, after the
   * built-in ones (strict schema validation, CLUSTER_CHECKS, POLICY_CHECKS).
   * @default - only the built-in checks
   */
  readonly checks?: ClusterCheck[];
  /**
   * What the checks need to know of the cluster (e.g. whether Traefik allows
   * cross-namespace references).
   * @default - Traefik's defaults: no cross-namespace references
   */
  readonly cluster?: ClusterContext;
  /**
   * Networks named once for the whole cluster, e.g. `{ vpn: ['10.8.0.0/24'] }`;
   * apps refer to them by name in `ipAllowList`.
   * @default - none
   */
  readonly networks?: Record<string, string[]>;
  /**
   * The environment this App builds (see `synthEnvironments`), e.g. `prod`.
   * @default - a single environment, written straight into `outdir`
   */
  readonly environment?: string;
  /**
   * Throw the problems of a construct's props from its constructor, where it
   * is built, instead of reporting them at synth together with the problems
   * of every other app and of the whole cluster. Handy in unit tests.
   * @default false
   */
  readonly failFast?: boolean;
  /**
   * CustomResourceDefinitions of the cluster beyond the shipped catalog (see
   * the README's CRDs): CRD objects, or YAML files and folders of them. Their
   * kinds are validated as strictly as the shipped ones; one that redefines
   * a shipped kind wins, with a warning (HL-crd-replaces-shipped).
   * @default - the CRD files listed under `imports:` in the `cdk8s.yaml` of the working folder, if any
   */
  readonly crds?: (string | CustomResourceDefinition)[];
  /**
   * The Kubernetes version of the cluster, `1.28` to `1.36`: objects are
   * validated against its API (a field of a newer version is an error that
   * names the version that has it) and namespaces pin its Pod Security
   * standards.
   * @default '1.28' (DEFAULT_KUBERNETES_VERSION)
   */
  readonly kubernetesVersion?: string;
  /**
   * The kind of cluster: the facts every app would otherwise repeat (the
   * storage class of volumes, how requests come in, where the ingress
   * controller runs, how Helm charts are installed). `k3s()`, `microk8s()`,
   * or `genericProfile({...})` for a cluster built by hand (Talos, kubeadm);
   * each takes the facts your cluster changes.
   * @default K3S
   */
  readonly profile?: ClusterProfile;
  /**
   * The Secrets you create by hand (`kubectl create secret`), as
   * `namespace/name`: the objects that use them pass the check that every
   * Secret is provided (by a SealedSecret, an ExternalSecret, cert-manager or
   * a chart). Prefer sealing them (`cdk8s-homelab seal`) so they live in Git.
   * @default - none
   */
  readonly handMadeSecrets?: string[];
  /**
   * Lay the output out for kubectl's ApplySet pruning
   * (`KUBECTL_APPLYSET=true kubectl apply --prune --applyset=...`): each app's
   * Namespace and PersistentVolumeClaims go into `kept/<app>.k8s.yaml`, which
   * you apply first and without pruning, so that removing an app from Git
   * never deletes its data; the apps in `pruneDataOf` keep theirs with the rest.
   * `applyset/` holds the set's parent (`parent.yaml`) and its CRD
   * (`crd.yaml`), to apply once, before the first prune.
   * @default - one file per app, its Namespace first
   */
  readonly applySet?: ApplySetLayout;
  /**
   * Write each environment's output in two layers, applied in order:
   * `platform/`, the apps that install software (a Helm chart, CRDs, K3s's
   * Traefik settings) or sync the cluster from Git, then `apps/`, the rest,
   * which may use the custom resources the platform brings. A GitOpsSync
   * follows the order (Flux: one Kustomization per layer, the apps' waiting
   * for the platform's; Argo CD: the platform in an earlier sync wave);
   * with kubectl, name both folders, platform first.
   * @default false - one folder per environment
   */
  readonly platformFirst?: boolean;
}

/** How the output is laid out for kubectl's ApplySet pruning (see HomelabApp `applySet`). */
export interface ApplySetLayout {
  /**
   * The name of the set's parent, a cluster-scoped `ApplySet` of the
   * package's CRD, which the kubectl command names
   * (`--applyset=applysets.cdk8s-homelab.io/<name>`).
   * @default - `homelab-<environment>`, or `homelab`
   */
  readonly name?: string;
  /**
   * The apps whose Namespace and claims are pruned with them (their data
   * deleted when they leave Git), besides those a GitOpsSync's `pruneDataOf` names.
   * @default - none: every app's data is kept apart
   */
  readonly pruneDataOf?: string[];
}

/** The prop names of {@link HomelabAppProps}, to find unknown ones at run time. */
const HOMELAB_APP_PROPS_FIELDS: PropNames<HomelabAppProps> = {
  outdir: 'string?',
  mirrorOutdir: 'string?',
  checks: 'list?',
  cluster: 'object?',
  networks: 'object?',
  environment: 'string?',
  failFast: 'boolean?',
  crds: 'list?',
  kubernetesVersion: 'string?',
  profile: 'object?',
  handMadeSecrets: 'string[]?',
  applySet: 'object?',
  platformFirst: 'boolean?',
};

/**
 * The local CRD files that `cdk8s.yaml` in the working folder lists under
 * `imports:` (for `cdk8s import`), so that they are not named twice: entries
 * like `crds/x.yaml` or `prefix:=crds/x.yaml`, not `k8s@1.28.0` nor URLs.
 */
export function importedCrdFiles(configFile = 'cdk8s.yaml'): string[] {
  if (!fs.existsSync(configFile)) {
    return [];
  }
  return importsOf(fs.readFileSync(configFile, 'utf8'))
    .map((entry) => entry.slice(entry.indexOf(':=') + 1).replace(/^=/, ''))
    .filter((file) => !/^[a-z][\w+.-]*:\/\//i.test(file) && !/^k8s@/.test(file) && /\.ya?ml$/.test(file))
    .map((file) => path.resolve(path.dirname(configFile), file))
    .filter((file) => fs.existsSync(file));
}

/**
 * The `imports:` entries of a cdk8s.yaml: read line by line when written as a
 * block list (as `cdk8s init` writes it), which spares loading a YAML parser
 * on every synth; by the YAML parser otherwise.
 */
function importsOf(text: string): string[] {
  const block = /^imports:[ \t]*\r?\n((?:[ \t]+-[^\n]*\r?\n|[ \t]*#[^\n]*\r?\n|[ \t]*\r?\n)*)/m.exec(text.endsWith('\n') ? text : `${text}\n`);
  if (block) {
    return [...block[1].matchAll(/^[ \t]+-[ \t]*(['"]?)([^'"#\s]+)\1/gm)].map((m) => m[2]);
  }
  if (!/^imports:/m.test(text)) {
    return [];
  }
  const config = yamlLibrary().parse(text) as { imports?: unknown } | null;
  return Array.isArray(config?.imports) ? config.imports.filter((i): i is string => typeof i === 'string') : [];
}

/**
 * The App of a homelab cluster. `synth()` renders every app in one pass,
 * checks the whole cluster, and only then replaces `outdir` atomically: a
 * failed synth leaves the previous manifests untouched.
 */
export class HomelabApp extends App {
  /** Whether `x` is a HomelabApp, from this copy of cdk8s-homelab or another. */
  public static isHomelabApp(x: unknown): x is HomelabApp {
    return hasBrand(x, 'HomelabApp');
  }

  /** The HomelabApp a construct belongs to, if its root is one. */
  public static tryOf(c: IConstruct): HomelabApp | undefined {
    const root = c.node.root;
    return HomelabApp.isHomelabApp(root) ? root : undefined;
  }

  /** The environment this App builds, if several are synthesized. */
  public readonly environment?: string;
  /** The networks named for the whole cluster. */
  public readonly networks: Readonly<Record<string, readonly string[]>>;
  /** Where `synth()` writes a copy of the manifests, if anywhere. */
  public readonly mirrorOutdir?: string;
  /** What the checks know of the cluster. */
  public readonly cluster: ClusterContext;
  /** The Kubernetes version objects are validated against. */
  public readonly kubernetesVersion: KubernetesVersion;
  /** The kind of cluster the apps are built for. */
  public readonly profile: ClusterProfile;
  private readonly checks: readonly ClusterCheck[];

  constructor(props: HomelabAppProps = {}) {
    const outdir = props.outdir ?? 'dist';
    super({ outdir });
    setBrand(this, 'HomelabApp');
    if (props.failFast) {
      setFailFast(this);
    }
    // The App's own props fail at once: they say how everything else is reported.
    const misspelled = shapeProblems('props', props, HOMELAB_APP_PROPS_FIELDS, 'HomelabApp');
    if (misspelled.length === 0 && props.profile !== undefined) {
      misspelled.push(...profileProblems('props.profile', props.profile));
    }
    for (const [i, secret] of (props.handMadeSecrets ?? []).entries()) {
      if (!isSecretPath(secret)) {
        misspelled.push({ field: `props.handMadeSecrets[${i}]`, value: secret, message: 'is not namespace/name', fix: "write e.g. 'gazette/regcred'" });
      }
    }
    if (props.environment !== undefined && (!isDnsLabel(props.environment) || OUTPUT_FOLDERS.includes(props.environment))) {
      misspelled.push({
        field: 'props.environment',
        value: props.environment,
        message: `is not a valid environment name (lowercase letters, digits and "-", none of ${OUTPUT_FOLDERS.join(', ')})`,
        fix: 'name it e.g. prod or staging',
      });
    }
    misspelled.push(...applySetProblems(props.applySet));
    if (misspelled.length > 0) {
      throw new HomelabError(misspelled.map((p) => ({ app: '(app)', path: 'HomelabApp', ...p })));
    }
    if (props.applySet) {
      setKeptLayout(this, {
        prunableApps: [...(props.applySet.pruneDataOf ?? [])],
        parentName: props.applySet.name ?? (props.environment ? `homelab-${props.environment}` : 'homelab'),
      });
    }
    if (props.platformFirst) {
      setPlatformFirst(this);
    }
    this.mirrorOutdir = mirrorOutdirOf(outdir, props.mirrorOutdir);
    const version = resolveKubernetesVersion(props.kubernetesVersion, { app: '(app)', path: 'HomelabApp', field: 'props.kubernetesVersion' });
    this.kubernetesVersion = version;
    setKubernetesVersion(this, version);
    this.profile = props.profile ?? K3S;
    setClusterProfile(this, this.profile);
    // The checks look for Traefik where the profile says it runs, unless the cluster context says otherwise.
    const traefik = { namespace: this.profile.traefik.namespace, labels: { ...this.profile.traefik.podSelector } };
    this.cluster = resolveClusterContext({
      ...(props.profile ? { ingressController: traefik } : {}),
      serviceLb: this.profile.loadBalancer === 'servicelb',
      ...props.cluster,
    });
    declareHandMadeSecrets(this, [...(props.cluster?.handMadeSecrets ?? []), ...(props.handMadeSecrets ?? [])]);
    const crds = props.crds;
    // Read when the checks first run (a synth that needs no schema reads none).
    let validator: SchemaValidator | undefined;
    this.checks = synthChecks(props.checks, () => (validator ??= SchemaValidator.shipped(version).withCrds(crds ?? importedCrdFiles())));
    this.networks = { ...props.networks };
    this.environment = props.environment;
  }

  /** The warnings of the last synth (or synthFiles), in the order found. */
  public get warnings(): readonly Problem[] {
    return this.lastWarnings;
  }
  private lastWarnings: Problem[] = [];

  /** Renders and checks every app without writing anything; warnings end up in `warnings`. */
  public synthFiles(): SynthesizedFile[] {
    const warnings: Problem[] = [];
    try {
      // The App's own handMadeSecrets and cluster.handMadeSecrets are declared on the tree with the rest.
      const context = { ...this.cluster, handMadeSecrets: handMadeSecretsOf(this) };
      return synthesizeFiles(this, this.checks, context, (w) => warnings.push(w));
    } finally {
      this.lastWarnings = warnings;
    }
  }

  /** Renders every file to YAML text, keyed by file name. */
  public renderFiles(): Map<string, string> {
    return new Map(this.synthFiles().map((f) => [f.fileName, renderYaml(f)]));
  }

  /**
   * Checks the whole cluster, then writes `outdir` (and the mirror) atomically.
   * Files are rendered one at a time as they are written, so a large cluster
   * never holds all of its YAML in memory.
   *
   * When any construct or check found a problem, writes nothing: prints the
   * `synth failed` report (every problem, one per line, no stack trace) on
   * standard error and sets the exit status to 1, so that a `main.ts` needs
   * no `runMain` for it. {@link HomelabApp.synthFiles} throws the same
   * problems as a HomelabError, for programs that handle them.
   */
  public override synth(): void {
    let files: (SynthesizedFile | undefined)[];
    try {
      files = this.synthFiles();
    } catch (e) {
      if (HomelabError.isHomelabError(e)) {
        // A user's mistake, not a crash: the report, without a stack trace, and exit status 1.
        reportFailure(e, this.outdir);
        return;
      }
      throw e;
    }
    for (const w of this.lastWarnings) {
      process.stderr.write(`${formatProblem(w)}\n`);
    }
    // Each file is let go once written.
    function* releasing(): Generator<[string, SynthesizedFile]> {
      for (let i = 0; i < files.length; i++) {
        const file = files[i] as SynthesizedFile;
        files[i] = undefined;
        yield [file.fileName, file];
      }
    }
    writeManifests(this.outdir, releasing(), this.mirrorOutdir);
  }
}

/** The prop names of {@link ApplySetLayout}, to find unknown ones at run time. */
const APPLY_SET_LAYOUT_FIELDS: PropNames<ApplySetLayout> = { name: 'string?', pruneDataOf: 'string[]?' };

/** The problems of `applySet`: known props, app names. */
function applySetProblems(layout: ApplySetLayout | undefined): Omit<Problem, 'app' | 'path'>[] {
  const problems: Omit<Problem, 'app' | 'path'>[] = [...shapeProblems('props.applySet', layout, APPLY_SET_LAYOUT_FIELDS, 'ApplySetLayout')];
  for (const [i, app] of (layout?.pruneDataOf ?? []).entries()) {
    if (!isDnsLabel(app)) {
      problems.push({ field: `props.applySet.pruneDataOf[${i}]`, value: app, message: 'is not an app name' });
    }
  }
  if (layout?.name !== undefined && !isDnsSubdomain(layout.name)) {
    problems.push({ field: 'props.applySet.name', value: layout.name, message: 'is not a valid object name' });
  }
  return problems;
}
