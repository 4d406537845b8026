import type { IConstruct } from 'constructs';
import { validateManifests } from '../checks/manifest-validation';
import { hasBrand, setBrand } from '../core/brand';
import { deferredProblems } from '../core/deferred-problems';
import { handMadeSecretsOf } from '../core/hand-made-secrets';
import { formatProblem, HomelabError } from '../core/problems';
import { HomelabApp } from './homelab-app';
import { collectObjects, withoutAppsOf } from './synthesizer';

/**
 * Makes any cdk8s App run the whole-cluster checks (strict schemas, cluster
 * and policy checks) when it synthesizes, as HomelabApp does: cdk8s runs every
 * construct validation before it writes anything, so a plain `new App()` with
 * two apps on one host writes nothing and throws a HomelabError listing every
 * problem (runMain prints it). Warnings go to standard error. Registered once
 * per App, by the first AppStack; a HomelabApp runs the checks itself.
 *
 * cdk8s validates the whole App once per synth and again for each Chart it
 * renders, all in one synchronous run: the checks run once per run.
 */
export function checkClusterOnSynth(scope: IConstruct): void {
  const root = scope.node.root;
  if (HomelabApp.isHomelabApp(root) || hasBrand(root, 'ClusterValidation')) {
    return;
  }
  setBrand(root, 'ClusterValidation');
  // The errors of this run's checks, once they ran (cdk8s asks again for each Chart).
  let thisRun: HomelabError | null | undefined;
  root.node.addValidation({
    validate: () => {
      if (thisRun === undefined) {
        queueMicrotask(() => {
          thisRun = undefined;
        });
        const recorded = deferredProblems(root);
        const problems = validateManifests(collectObjects(root), { cluster: { handMadeSecrets: handMadeSecretsOf(root) } });
        for (const w of problems.filter((p) => p.warning)) {
          process.stderr.write(`${formatProblem(w)}\n`);
        }
        const errors = [
          ...recorded,
          ...withoutAppsOf(
            recorded,
            problems.filter((p) => !p.warning),
          ),
        ];
        thisRun = errors.length > 0 ? new HomelabError(errors) : null;
      }
      if (thisRun !== null) {
        throw thisRun;
      }
      return [];
    },
  });
}
