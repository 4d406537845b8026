import type { ClusterCheck } from '../core/cluster-check';
import { objectProblem } from '../core/problems';
import { certResolvers, tlsCoverage } from './cluster/certificates';
import { imageReferences } from './cluster/images';
import { duplicateObjects, nameSyntax } from './cluster/object-names';
import { portRanges } from './cluster/ports';
import { routeHosts, routeReferences } from './cluster/routes';
import { serviceSelectors } from './cluster/services';
import { volumeReferences } from './cluster/volumes';
import { SchemaValidator } from './schema/schema-validator';

/** Strict schema validation of every object (Kubernetes 1.28 and the shipped CRDs). */
export function schemaCheck(validator?: SchemaValidator): ClusterCheck {
  return (objects) => {
    const v = validator ?? SchemaValidator.shipped(); // loaded when first needed, not when the app is built
    return objects.flatMap((o) => v.validate(o.manifest).map((i) => objectProblem(o, i.field, i.value, i.message, i.fix)));
  };
}

/** Every built-in whole-cluster check, in the order they report. */
export const CLUSTER_CHECKS: readonly ClusterCheck[] = [
  duplicateObjects,
  nameSyntax,
  portRanges,
  imageReferences,
  routeHosts,
  routeReferences,
  serviceSelectors,
  tlsCoverage,
  certResolvers,
  volumeReferences,
];
