import * as path from 'node:path';
import { packageRoot, shippedSources } from '../lib/checks/schema/schema-set';
import { GENERATED_VALIDATORS, refreshValidatorStamps, validatorModuleIsStale, writeValidatorModule } from '../lib/checks/schema/validator-module';

// Precompiles the validators of the shipped schemas (build step). Skipped
// when the modules already match the schemas, so builds stay fast.
const root = packageRoot();
const sources = shippedSources(root);
const out = path.join(root, GENERATED_VALIDATORS);
if (validatorModuleIsStale(sources, out)) {
  const started = Date.now();
  writeValidatorModule(sources, out);
  process.stdout.write(`precompiled schema validators into ${path.relative(root, out)} in ${Date.now() - started} ms\n`);
} else {
  refreshValidatorStamps(sources, out);
}
