import { ApiObject, type ApiObjectMetadata, Chart, type JsonPatch } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../core/labels';
import { appNameOf, HomelabError } from '../core/problems';

/** Props of {@link ManifestObject}: a rendered manifest, e.g. from `k8s.KubeDeployment.manifest(props)`. */
export interface ManifestObjectProps {
  /** The object's apiVersion, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** The object's kind, e.g. `Deployment`. */
  readonly kind: string;
  /**
   * The object's metadata.
   * @default - cdk8s names the object
   */
  readonly metadata?: ApiObjectMetadata;
  /** Everything else (spec, data, ...), as plain JSON values. */
  readonly [field: string]: unknown;
}

/**
 * An ApiObject built from a manifest that is already plain JSON (the typed
 * `manifest()` of a generated construct renders it at construction). Its
 * body is sanitized and key-sorted once, so synth renders it without cdk8s's
 * per-value token resolution, which allocates for every leaf of every object
 * and dominates synth time and memory for large clusters. The output is the
 * same; metadata still renders at synth (labels added later are kept), and
 * once a JSON patch is added the object renders the regular cdk8s way.
 *
 * Every ManifestObject carries `app.kubernetes.io/managed-by: cdk8s-homelab`
 * (unless its metadata sets another value), so `kubectl ... -l` finds and
 * prunes everything we emit, whichever construct made it.
 */
export class ManifestObject extends ApiObject {
  private readonly body: Record<string, unknown>;
  private patched: boolean;

  constructor(scope: Construct, id: string, props: ManifestObjectProps) {
    const { apiVersion, kind, metadata, ...rest } = props;
    // One sorted copy, shared with the props cdk8s keeps for the regular path.
    const body = sortedJson(rest, `${kind} ${id}`) as Record<string, unknown>;
    super(inChart(scope, id), id, { apiVersion, kind, metadata, ...body });
    this.body = body;
    this.patched = false;
    if (this.metadata.getLabel(MANAGED_BY_LABEL) === undefined) {
      this.metadata.addLabel(MANAGED_BY_LABEL, MANAGED_BY);
    }
  }

  /** Applies JSON patches at synth; the object then renders the regular cdk8s way. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  /** The manifest: apiVersion, kind, metadata, then the body in sorted key order, as cdk8s renders it. */
  public override toJson(): Record<string, unknown> {
    if (this.patched || process.env.CDK8S_DISABLE_SORT) {
      return super.toJson();
    }
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: this.metadata.toJson(), ...this.body };
  }
}

/** A deep copy with sorted keys and without null or undefined values, as cdk8s's sanitizer makes it. */
function sortedJson(value: unknown, where: string): unknown {
  if (value === null || value === undefined || typeof value !== 'object') {
    return value ?? undefined;
  }
  if (Array.isArray(value)) {
    return value.map((v) => sortedJson(v, where));
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new Error(`${where}: a manifest must hold plain JSON values, found a ${(value as object).constructor.name}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = sortedJson((value as Record<string, unknown>)[key], where);
    if (v !== undefined) {
      out[key] = v;
    }
  }
  return out;
}

/**
 * `scope`, when a Chart holds it: cdk8s writes each object into the file of
 * its Chart, and says so with a bare error otherwise. Ours names the
 * construct and the fix.
 */
function inChart(scope: Construct, id: string): Construct {
  let c: IConstruct | undefined = scope;
  while (c !== undefined && !Chart.isChart(c)) {
    c = c.node.scope;
  }
  if (c === undefined) {
    // The construct the user placed in the App, not the part of it that makes the object.
    const placed = scope.node.scopes[1] ?? scope;
    throw new HomelabError([
      {
        app: appNameOf(scope),
        path: scope.node.path ? `${scope.node.path}/${id}` : id,
        field: 'scope',
        value: placed.node.path || '(the App)',
        message: 'is not inside a Chart, and each object is written into the file of its Chart',
        fix: "create it in a Chart of its own, e.g. new HelmChartRelease(new Chart(app, 'keel'), 'Chart', {...}) as apps/keel.ts does",
      },
    ]);
  }
  return scope;
}
