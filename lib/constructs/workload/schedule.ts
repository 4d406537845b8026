import { CRON_DESCRIPTORS, isGoDuration } from '../../core/value-rules';

/**
 * When a CronJob runs: a five-field cron expression (minute hour
 * day-of-month month day-of-week) or a macro such as `@daily`.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export class Schedule {
  /** A cron expression, e.g. `0 3 * * *` (every day at 03:00). Checked when the CronJob is built. */
  public static cron(expression: string): Schedule {
    return new Schedule(expression.trim(), expression.trim());
  }

  /** Every day at `hour`:`minute`. */
  public static daily(hour = 0, minute = 0): Schedule {
    const wrong = !isWhole(hour, 0, 23)
      ? `takes an hour from 0 to 23, got ${hour}`
      : !isWhole(minute, 0, 59)
        ? `takes a minute from 0 to 59, got ${minute}`
        : undefined;
    return new Schedule(`${minute} ${hour} * * *`, `Schedule.daily(${hour}, ${minute})`, wrong);
  }

  /** Every `minutes` minutes (a divisor of 60). */
  public static everyMinutes(minutes: number): Schedule {
    const wrong =
      isWhole(minutes, 1, 60) && 60 % minutes === 0 ? undefined : `takes a divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60), got ${minutes}`;
    return new Schedule(`*/${minutes} * * * *`, `Schedule.everyMinutes(${minutes})`, wrong);
  }

  /** The cron expression. */
  public readonly expression: string;
  /** How the schedule was written: the expression, or the call that made it (`Schedule.daily(25, 0)`), for problems. */
  public readonly source: string;

  private constructor(
    expression: string,
    source: string,
    private readonly wrongArguments?: string,
  ) {
    this.expression = expression;
    this.source = source;
  }

  /** What is wrong with the schedule (its arguments, or the expression), or undefined when Kubernetes accepts it. */
  public problem(): string | undefined {
    return this.wrongArguments ?? scheduleProblem(this.expression);
  }
}

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

/** The five fields and their bounds, as robfig/cron v3 has them (day of week 0-6: Sunday is 0, not 7). */
const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/**
 * What is wrong with a CronJob schedule, or undefined when Kubernetes accepts
 * it: the rules of robfig/cron v3's `ParseStandard` (five fields, `*` or `?`,
 * lists, `a-b` ranges with `a` not above `b`, `/step` above 0 with `a/step`
 * meaning `a-max/step`, month and weekday names in any case, the descriptors
 * and `@every <duration>`), and no time zone inside the schedule.
 */
export function scheduleProblem(expression: string): string | undefined {
  if (CRON_DESCRIPTORS.has(expression)) {
    return undefined;
  }
  if (expression.startsWith('@every')) {
    const duration = expression.slice('@every'.length).trim();
    return expression.startsWith('@every ') && isGoDuration(duration) ? undefined : `takes a duration after @every, e.g. "@every 1h30m", got "${duration}"`;
  }
  if (expression.startsWith('@')) {
    return `is not a descriptor; use one of ${[...CRON_DESCRIPTORS].join(', ')} or @every <duration>`;
  }
  if (expression.startsWith('TZ=') || expression.startsWith('CRON_TZ=')) {
    return 'sets a time zone inside the schedule; use the timeZone prop instead';
  }
  const fields = expression.split(/\s+/);
  if (fields.length !== 5) {
    return `has ${fields.length} fields, Kubernetes takes 5 (minute hour day-of-month month day-of-week)${fields.length === 6 ? '; drop the seconds field' : ''}`;
  }
  for (const [i, field] of fields.entries()) {
    for (const part of field.split(',')) {
      const problem = rangeProblem(part, FIELDS[i]);
      if (problem !== undefined) {
        return `has a ${FIELDS[i].name} field "${field}" that ${problem}`;
      }
    }
  }
  return undefined;
}

/** What is wrong with one range of a field (`*`, `5`, `1-5`, `5/10`, `mon-fri`, with or without a step), as robfig/cron reads it. */
function rangeProblem(part: string, field: CronField): string | undefined {
  const [range, ...steps] = part.split('/');
  if (steps.length > 1) {
    return 'has more than one "/"';
  }
  const bounds = range.split('-');
  if (bounds.length > 2) {
    return 'has more than one "-" in a range';
  }
  const value = (text: string): number | undefined => {
    const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
    return named > 0 || (named === 0 && field.name === 'day of week') ? named : /^\d+$/.test(text) ? Number(text) : undefined;
  };
  let start = field.min;
  let end = field.max;
  if (bounds[0] !== '*' && bounds[0] !== '?') {
    const first = value(bounds[0]);
    const last = bounds.length === 2 ? value(bounds[1]) : first;
    if (first === undefined || last === undefined) {
      return `holds "${bounds.find((b) => value(b) === undefined) ?? part}", not a number${field.names ? ' or a name' : ''}`;
    }
    start = first;
    end = steps.length === 1 && bounds.length === 1 ? field.max : last;
  }
  if (steps.length === 1 && !(/^\d+$/.test(steps[0]) && Number(steps[0]) > 0)) {
    return `has a step "${steps[0]}" that is not a whole number above 0`;
  }
  if (start < field.min || end > field.max) {
    return `goes out of range ${field.min}-${field.max}`;
  }
  if (start > end) {
    return `starts its range (${start}) after its end (${end})`;
  }
  return undefined;
}

/** Whether a time zone name is one the system knows (IANA, e.g. `Europe/Paris`). */
export function isTimeZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Etc/UTC') {
    return true;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  } catch {
    return false;
  }
}

function isWhole(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

/**
 * What is wrong with a schedule as a caller passed it (a JavaScript caller
 * may pass a string or a plain object): its problem, and how to show it.
 */
export function givenScheduleProblem(schedule: unknown): { readonly shown: unknown; readonly problem?: string; readonly fix: string } {
  if (schedule instanceof Schedule || (typeof schedule === 'object' && schedule !== null && typeof (schedule as Schedule).problem === 'function')) {
    const s = schedule as Schedule;
    return { shown: s.source, problem: s.problem(), fix: 'write e.g. "0 3 * * *" for every day at 03:00' };
  }
  return {
    shown: schedule,
    problem: 'is not a Schedule',
    fix:
      typeof schedule === 'string'
        ? `write Schedule.cron(${JSON.stringify(schedule)})`
        : 'write Schedule.cron("0 3 * * *"), Schedule.daily(3) or Schedule.everyMinutes(5)',
  };
}
