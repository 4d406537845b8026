import * as path from 'node:path';
import { packageRoot, shippedSources } from '../lib/checks/schema/schema-set';
import { generatedValidatorsOf, refreshValidatorStamps, validatorModuleIsStale, writeValidatorModule } from '../lib/checks/schema/validator-module';
import { KUBERNETES_VERSIONS } from '../lib/core/kubernetes-version';

// Precompiles the validators of the shipped schemas (build step), for every
// Kubernetes version. Skipped when the modules already match the schemas, so
// builds stay fast.
const root = packageRoot();
for (const version of KUBERNETES_VERSIONS) {
  const sources = shippedSources(root, version);
  const out = path.join(root, generatedValidatorsOf(version));
  if (validatorModuleIsStale(sources, out)) {
    const started = Date.now();
    writeValidatorModule(sources, out);
    process.stdout.write(`precompiled schema validators into ${path.relative(root, out)} in ${Date.now() - started} ms\n`);
  } else {
    refreshValidatorStamps(sources, out);
  }
}
