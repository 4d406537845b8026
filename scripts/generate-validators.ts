import * as path from 'node:path';
import {
  GENERATED_VALIDATORS,
  packageRoot,
  refreshValidatorStamps,
  shippedSources,
  validatorModuleIsStale,
  writeValidatorModule,
} from '../lib/checks/schema-validator';

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
