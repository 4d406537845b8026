/**
 * When a CronJob runs: a five-field cron expression (minute hour
 * day-of-month month day-of-week) or a macro such as `@daily`.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export class Schedule {
  /** A cron expression, e.g. `0 3 * * *` (every day at 03:00). Checked when the CronJob is built. */
  public static cron(expression: string): Schedule {
    return new Schedule(expression.trim());
  }

  /** Every day at `hour`:`minute`. */
  public static daily(hour = 0, minute = 0): Schedule {
    return new Schedule(`${minute} ${hour} * * *`);
  }

  /** Every `minutes` minutes (a divisor of 60). */
  public static everyMinutes(minutes: number): Schedule {
    return new Schedule(`*/${minutes} * * * *`);
  }

  /** The cron expression. */
  public readonly expression: string;

  private constructor(expression: string) {
    this.expression = expression;
  }

  /** What is wrong with the expression, or undefined when Kubernetes accepts it. */
  public problem(): string | undefined {
    return scheduleProblem(this.expression);
  }
}

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** What is wrong with a CronJob schedule, or undefined when it is valid. */
export function scheduleProblem(expression: string): string | undefined {
  if (MACROS.has(expression)) {
    return undefined;
  }
  if (expression.startsWith('TZ=') || expression.startsWith('CRON_TZ=')) {
    return 'sets a time zone inside the schedule; use the timeZone prop instead';
  }
  const fields = expression.split(/\s+/);
  if (fields.length !== 5) {
    return `has ${fields.length} fields, Kubernetes takes 5 (minute hour day-of-month month day-of-week)${fields.length === 6 ? '; drop the seconds field' : ''}`;
  }
  for (const [i, field] of fields.entries()) {
    const spec = FIELDS[i];
    for (const part of field.split(',')) {
      const m = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/(\d+))?$/.exec(part);
      if (!m || (m[2] !== undefined && Number(m[2]) === 0)) {
        return `has an invalid ${spec.name} field "${field}"`;
      }
      if (m[1] === '*') {
        continue;
      }
      for (const v of m[1].split('-')) {
        const n = /^\d+$/.test(v) ? Number(v) : (spec.names?.indexOf(v.toUpperCase()) ?? -1) + (spec.name === 'month' ? 1 : 0);
        if (!(n >= spec.min && n <= spec.max) || (!/^\d+$/.test(v) && (spec.names?.indexOf(v.toUpperCase()) ?? -1) < 0)) {
          return `has a ${spec.name} "${v}" out of range ${spec.min}-${spec.max}`;
        }
      }
    }
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
