import type { ClusterCheck } from '../core/cluster-check';
import { objectProblem, type Problem } from '../core/problems';
import { addressPools } from './cluster/address-pools';
import { certificateSources } from './cluster/certificate-sources';
import { certificateIssuers, certResolvers, tlsCoverage } from './cluster/certificates';
import { gatewayAttachments, referenceGrants } from './cluster/gateways';
import { imageReferences } from './cluster/images';
import { duplicateObjects, nameSyntax } from './cluster/object-names';
import { loadBalancerPorts, nodePorts, portRanges } from './cluster/ports';
import { rbacReferences } from './cluster/rbac';
import { routeHosts, routeReferences } from './cluster/routes';
import { secretReferences, secretStores } from './cluster/secret-references';
import { serviceSelectors } from './cluster/services';
import { sharedVolumes, volumeReferences } from './cluster/volumes';
import { SchemaValidator } from './schema/schema-validator';

/**
 * Strict schema validation of every object (Kubernetes 1.28, the shipped CRDs
 * and the user's): `validator` is the shipped one by default, or a function
 * that makes it when the check first runs. A user CRD that replaces a shipped
 * schema is a warning (HL-crd-replaces-shipped).
 */
export function schemaCheck(validator?: SchemaValidator | (() => SchemaValidator)): ClusterCheck {
  return (objects) => {
    // Loaded when first needed, not when the app is built.
    const v = typeof validator === 'function' ? validator() : (validator ?? SchemaValidator.shipped());
    const replaced = v.replacedKinds.map(
      (kind): Problem => ({
        app: '(cluster)',
        path: 'crds',
        field: 'crds',
        value: kind,
        message: 'replaces the schema the package ships for this kind with your CRD',
        fix: 'keep it if your cluster runs that version of the CRD; else drop it from crds',
        warning: 'HL-crd-replaces-shipped',
      }),
    );
    return [...replaced, ...objects.flatMap((o) => v.validate(o.manifest).map((i) => objectProblem(o, i.field, i.value, i.message, i.fix)))];
  };
}

/** Every built-in whole-cluster check, in the order they report. */
export const CLUSTER_CHECKS: readonly ClusterCheck[] = [
  duplicateObjects,
  nameSyntax,
  portRanges,
  nodePorts,
  loadBalancerPorts,
  imageReferences,
  routeHosts,
  routeReferences,
  serviceSelectors,
  tlsCoverage,
  certResolvers,
  certificateIssuers,
  certificateSources,
  addressPools,
  gatewayAttachments,
  referenceGrants,
  secretReferences,
  secretStores,
  rbacReferences,
  volumeReferences,
  sharedVolumes,
];
