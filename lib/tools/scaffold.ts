import * as fs from 'node:fs';
import * as path from 'node:path';
import { floatingImage, isDns1035Label, isDnsLabel, isHostname, isPort, parseImage } from '../core/value-rules';

/** What `cdk8s-homelab new` is asked to create. */
export interface ScaffoldOptions {
  /** The app's name (its id, namespace and file name). */
  readonly name: string;
  /** The container image, with a pinned tag. */
  readonly image: string;
  /** The host: a full DNS name, or a subdomain label of each environment's domain (e.g. `notes`). */
  readonly host: string;
  /**
   * The port the container listens on.
   * @default 8080
   */
  readonly port?: number;
}

/** What the scaffolder wrote. */
export interface ScaffoldResult {
  /** The new app file. */
  readonly file: string;
  /** The file that registers it. */
  readonly index: string;
}

/** The problems of scaffold options, as messages; empty when all is well. */
export function scaffoldProblems(root: string, options: ScaffoldOptions): string[] {
  const problems: string[] = [];
  const { name, image, host } = options;
  const port = options.port ?? 8080;
  if (!isDns1035Label(name) || name.length > 53) {
    problems.push(`app name "${name}" is not valid: use at most 53 lowercase letters, digits and "-", starting with a letter`);
  }
  if (!(isHostname(host) || isDnsLabel(host))) {
    problems.push(`--host "${host}" is not a valid DNS name or subdomain label: write e.g. notes.example.com, or notes`);
  }
  const ref = parseImage(image);
  const floating = ref ? floatingImage(ref) : undefined;
  if (!ref) {
    problems.push(`--image "${image}" is not a valid image reference: write it as [registry/]repository:tag`);
  } else if (floating) {
    problems.push(`--image "${image}" has no pinned tag: give a version, e.g. ${floating.pinned}`);
  }
  if (!isPort(port)) {
    problems.push(`--port ${port} must be an integer from 1 to 65535`);
  }
  const file = path.join(root, 'apps', `${name}.ts`);
  if (fs.existsSync(file)) {
    problems.push(`apps/${name}.ts already exists: choose another name, or edit that file`);
  }
  const index = path.join(root, 'apps', 'index.ts');
  if (!fs.existsSync(index)) {
    problems.push('apps/index.ts is missing: run this in the root of a cdk8s-homelab project');
  } else if (new RegExp(`\\b${functionName(name)}\\(scope`).test(fs.readFileSync(index, 'utf8'))) {
    problems.push(`apps/index.ts already registers an app "${name}"`);
  }
  return problems;
}

/**
 * Writes `apps/<name>.ts` from a template and registers it in
 * `apps/index.ts` (an import, and a call in `addApps`). Throws with every
 * problem of the options, writing nothing.
 */
export function scaffoldApp(root: string, options: ScaffoldOptions): ScaffoldResult {
  const problems = scaffoldProblems(root, options);
  if (problems.length > 0) {
    throw new Error(problems.join('\n'));
  }
  const fn = functionName(options.name);
  const host = isHostname(options.host) ? `'${options.host}'` : `env.host('${options.host}')`;
  const file = path.join(root, 'apps', `${options.name}.ts`);
  const index = path.join(root, 'apps', 'index.ts');
  const source = `import { Construct } from 'constructs';
import { AppStack, Environment } from '${libraryImport(root)}';

/** ${options.name}: describe what it is for. */
export function ${fn}(scope: Construct, env: Environment): AppStack {
  return new AppStack(scope, '${options.name}', {
    image: env.image('${options.name}', '${options.image}'),
    host: ${host},
    port: ${options.port ?? 8080},
  });
}
`;
  const text = fs.readFileSync(index, 'utf8');
  const lines = text.split('\n');
  // The import, among the other app imports, in order.
  const importLine = `import { ${fn} } from './${options.name}';`;
  const imports = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^import \{ \w+ \} from '\.\/[\w-]+';$/.test(l));
  const before = imports.find(({ l }) => l > importLine);
  const at = before ? before.i : imports.length > 0 ? imports[imports.length - 1].i + 1 : 0;
  lines.splice(at, 0, importLine);
  // The call, last in addApps.
  const start = lines.findIndex((l) => /^export function addApps\(/.test(l));
  const end = start >= 0 ? lines.findIndex((l, i) => i > start && l === '}') : -1;
  if (end < 0) {
    throw new Error('apps/index.ts has no addApps function to register the app in');
  }
  lines.splice(end, 0, `  ${fn}(scope, env);`);
  fs.writeFileSync(file, source);
  fs.writeFileSync(index, lines.join('\n'));
  return { file, index };
}

function functionName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * How an app file of the project at `root` imports the library: this
 * repository's own `lib/`, or the installed package anywhere else.
 */
function libraryImport(root: string): string {
  const file = path.join(root, 'package.json');
  const name = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name : undefined;
  return name === 'cdk8s-homelab' ? '../lib' : 'cdk8s-homelab';
}
