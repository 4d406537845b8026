import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterSecretStoreProps } from '../imports/externalsecrets-clustersecretstores-external-secrets.io';
import { type Json, ManifestObject } from '../lib';

/**
 * The Vault that External Secrets reads for every namespace (apps/nextcloud.ts
 * takes its database password from it): External Secrets signs in with its
 * own service account, so no credential of Vault's is in Git either.
 */
export function secretStore(scope: Construct): Chart {
  const chart = new Chart(scope, 'secret-store', { disableResourceNameHashes: true });
  const store: Json<ClusterSecretStoreProps> = {
    metadata: { name: 'vault' },
    spec: {
      provider: {
        vault: {
          server: 'https://vault.julesfournier.fr',
          path: 'secret',
          version: 'v2',
          auth: {
            kubernetes: { mountPath: 'kubernetes', role: 'external-secrets', serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } },
          },
        },
      },
    },
  };
  new ManifestObject(chart, 'Vault', { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', ...store });
  return chart;
}
