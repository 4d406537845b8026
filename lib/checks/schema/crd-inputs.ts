import * as fs from 'node:fs';
import * as path from 'node:path';
import { HomelabError, type Problem } from '../../core/problems';
import { readCrdFiles } from './schema-set';
import type { CustomResourceDefinition } from './schema-types';

/**
 * The CustomResourceDefinitions a user gives: CRD objects, or YAML files and
 * folders of them (walked recursively). Throws a HomelabError naming every
 * path that does not exist or holds no CRD, and every object that is not one.
 */
export function resolveCrdInputs(inputs: readonly (string | CustomResourceDefinition)[], field = 'crds'): CustomResourceDefinition[] {
  const crds: CustomResourceDefinition[] = [];
  const problems: Problem[] = [];
  const bad = (i: number, value: unknown, message: string, fix: string) =>
    problems.push({ app: '(cluster)', path: field, field: `${field}[${i}]`, value, message, fix });
  for (const [i, input] of inputs.entries()) {
    if (typeof input !== 'string') {
      if (isCrd(input)) {
        crds.push(input);
      } else {
        bad(
          i,
          (input as { kind?: unknown } | null)?.kind,
          'is not a CustomResourceDefinition',
          'give the CRD object (kind: CustomResourceDefinition), or the path of its YAML file',
        );
      }
      continue;
    }
    if (!fs.existsSync(input)) {
      bad(i, input, 'is not a file or folder', `give the path of a CRD YAML file or of a folder of them (relative to ${process.cwd()})`);
      continue;
    }
    const found = readCrdFiles(yamlFiles(input)).filter(isCrd);
    if (found.length === 0) {
      bad(i, input, 'holds no CustomResourceDefinition', 'point at the CRD files themselves (kind: CustomResourceDefinition)');
    }
    crds.push(...found);
  }
  if (problems.length > 0) {
    throw new HomelabError(problems);
  }
  return crds;
}

function isCrd(x: unknown): x is CustomResourceDefinition {
  const crd = x as Partial<CustomResourceDefinition> | null;
  return crd?.kind === 'CustomResourceDefinition' && typeof crd.spec?.group === 'string' && Array.isArray(crd.spec.versions);
}

/** A file itself, or every `.yaml`/`.yml` file below a folder, sorted. */
function yamlFiles(p: string): string[] {
  if (!fs.statSync(p).isDirectory()) {
    return [p];
  }
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((entry) => {
      const child = path.join(p, entry);
      return fs.statSync(child).isDirectory() ? yamlFiles(child) : /\.ya?ml$/.test(entry) ? [child] : [];
    });
}
