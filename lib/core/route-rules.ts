/** What a Traefik rule matches. */
export interface RuleParts {
  /** The hosts of its `Host()` matchers. */
  readonly hosts: string[];
  /** Its `Path()` and `PathPrefix()` matchers, e.g. `PathPrefix(/api)`. */
  readonly paths: string[];
}

/** The hosts and paths of a Traefik rule: `Host(\`a\`) && PathPrefix(\`/x\`) || Host(\`b\`)`. */
export function parseRule(rule: string): RuleParts {
  const hosts = [...rule.matchAll(/\bHost\(\s*[`"]([^`"]*)[`"]\s*\)/g)].map((m) => m[1]);
  const paths = [...rule.matchAll(/\b(Path|PathPrefix)\(\s*[`"]([^`"]*)[`"]\s*\)/g)].map((m) => `${m[1]}(${m[2]})`);
  return { hosts, paths };
}
