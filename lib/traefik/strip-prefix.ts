import { Construct } from 'constructs';
import type { MiddlewareProps } from '../../imports/traefik-middlewares-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isPathPrefix } from '../core/value-rules';

/** Props of {@link StripPrefix}. */
export interface StripPrefixProps {
  /** The Middleware name. */
  readonly name: string;
  /** Its namespace (that of the routes using it). */
  readonly namespace: string;
  /**
   * The path prefixes removed before the request reaches the Service, e.g.
   * `/api`: at least one, each `/` then path characters, none listed twice.
   */
  readonly prefixes: string[];
  /**
   * Labels of the Middleware object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link StripPrefixProps}, to find unknown ones at run time. */
const STRIP_PREFIX_PROPS_FIELDS: PropNames<StripPrefixProps> = { name: 'string', namespace: 'string', prefixes: 'string[]', labels: 'object?' };

/**
 * A Traefik `stripPrefix` Middleware: an app served under `/api` sees `/`.
 * @see https://doc.traefik.io/traefik/middlewares/http/stripprefix/
 */
export class StripPrefix extends Construct {
  /** The Middleware name. */
  public readonly name: string;
  /** The Traefik object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: StripPrefixProps) {
    super(scope, id);
    this.name = props.name;
    const checker = new PropChecker(this);
    checker.checkShape('props', props, STRIP_PREFIX_PROPS_FIELDS, 'StripPrefix');
    checker.throwIfIncomplete();
    checker.check(
      props.prefixes.length > 0,
      'props.prefixes',
      props.prefixes,
      'must list at least one prefix',
      'give the path the app is served under, e.g. /api',
    );
    for (const [i, prefix] of props.prefixes.entries()) {
      checker.check(isPathPrefix(prefix), `props.prefixes[${i}]`, prefix, 'is not a path prefix', 'write e.g. /api');
      checker.check(props.prefixes.indexOf(prefix) === i, `props.prefixes[${i}]`, prefix, 'is listed twice');
    }
    checker.reportProblems();
    const manifest: Json<MiddlewareProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: { stripPrefix: { prefixes: [...props.prefixes] } },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', ...manifest });
  }
}
