import { type ChangedObject, type FieldChange, isEmptyPlan, type Plan, type PlannedObject, planSummary } from './plan';

/** How a plan is printed: for a terminal, or for a pull request. */
export type PlanFormat = 'text' | 'markdown';

/** The longest value printed whole; longer ones are cut. */
const MAX_VALUE = 160;

/** The plan as text or Markdown: per environment, the objects added, removed (data loss flagged) and changed, field by field. */
export function formatPlan(plan: Plan, format: PlanFormat = 'text'): string {
  const md = format === 'markdown';
  const lines: string[] = [md ? '## Plan' : '', md ? `**${planSummary(plan)}**` : `Plan: ${planSummary(plan)}`].filter((l) => l !== '');
  if (isEmptyPlan(plan)) {
    return `${lines.join('\n')}\n`;
  }
  const environments = [...new Set([...plan.added, ...plan.removed, ...plan.changed].map((o) => o.environment))].sort();
  const loss = new Set(plan.dataLoss.map(refKey));
  const kept = new Set(plan.kept.map(refKey));
  for (const env of environments) {
    const mine = <T extends PlannedObject>(list: readonly T[]) => list.filter((o) => o.environment === env);
    lines.push('', md ? `### ${env || 'dist'}` : `${env || 'dist'}:`);
    for (const o of mine(plan.added)) {
      lines.push(`${md ? '- added ' : '  + '}${objectLabel(o, md)}`);
    }
    for (const o of mine(plan.removed)) {
      const warning = loss.has(refKey(o))
        ? ` ${md ? '**' : ''}(data loss: ${o.kind === 'Namespace' ? 'deletes everything in it, volumes included' : 'deletes the volume'})${md ? '**' : ''}`
        : kept.has(refKey(o))
          ? ' (kept when pruning: its data stays until you delete it)'
          : '';
      lines.push(`${md ? '- removed ' : '  - '}${objectLabel(o, md)}${warning}`);
    }
    for (const o of mine(plan.changed)) {
      lines.push(...changedLines(o, md));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The lines of a changed object: its name, then each changed field. */
function changedLines(o: ChangedObject, md: boolean): string[] {
  const lines = [`${md ? '- changed ' : '  ~ '}${objectLabel(o, md)}`];
  for (const c of o.changes) {
    lines.push(`${md ? '  - ' : '      '}${md ? `\`${c.path}\`` : c.path}: ${describeChange(c, md)}`);
  }
  return lines;
}

/** One field's change: old → new, added, removed, or withheld. */
function describeChange(c: FieldChange, md: boolean): string {
  if (c.hidden) {
    return 'changed (a Secret value, not shown)';
  }
  const show = (v: unknown) => (md ? `\`${valueText(v).replace(/`/g, "'")}\`` : valueText(v));
  if (c.before === undefined) {
    return `added ${show(c.after)}`;
  }
  if (c.after === undefined) {
    return `removed (was ${show(c.before)})`;
  }
  if (typeof c.before === 'string' && typeof c.after === 'string' && (c.before.includes('\n') || c.after.includes('\n'))) {
    return lineChanges(c.before, c.after);
  }
  return `${show(c.before)} → ${show(c.after)}`;
}

/** A multi-line text's change (Helm values, config files): the lines gone and the lines new. */
function lineChanges(before: string, after: string): string {
  const old = before.split('\n');
  const now = after.split('\n');
  const gone = old.filter((l) => !now.includes(l) && l.trim() !== '');
  const added = now.filter((l) => !old.includes(l) && l.trim() !== '');
  const part = (sign: string, ls: string[]) => ls.slice(0, 10).map((l) => `${sign}${l.trim()}`);
  return [`text changed:`, ...part('-', gone), ...part('+', added), ...(gone.length + added.length > 20 ? ['...'] : [])].join(' ');
}

/** A value as printed: JSON, cut when long. */
function valueText(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}...` : text;
}

/** `Kind namespace/name`. */
function objectLabel(o: PlannedObject, md: boolean): string {
  const name = o.namespace ? `${o.namespace}/${o.name}` : o.name;
  return md ? `${o.kind} \`${name}\`` : `${o.kind} ${name}`;
}

/** An object's identity as a key. */
function refKey(o: PlannedObject): string {
  return `${o.environment}|${o.kind}|${o.namespace}|${o.name}`;
}
