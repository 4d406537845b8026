import { KEEL_POLICY_ANNOTATION } from '../../core/annotations';
import type { PropChecker } from '../../core/prop-checker';
import type { PropNames } from '../../core/prop-names';
import { CRON_DESCRIPTORS, isGoDuration, parseImage } from '../../core/value-rules';

/**
 * Which new image versions Keel rolls out: `patch`, `minor`, `major` or
 * `all` (semver tags only), `force` (any new tag, or a new digest of the same
 * tag with `matchTag`), `glob:<pattern>` or `regexp:<pattern>` on the tag.
 * @see https://keel.sh/docs/#policies
 */
export type KeelPolicy = 'patch' | 'minor' | 'major' | 'all' | 'force' | `glob:${string}` | `regexp:${string}`;

/** Automatic image updates by Keel, set as `keel.sh/*` annotations on the workload. */
export interface AutoUpdate {
  /** Which new versions to roll out. */
  readonly policy: KeelPolicy;
  /**
   * How Keel learns of new images: by polling the registry, or from webhooks.
   * @default 'poll'
   */
  readonly trigger?: 'poll' | 'default';
  /**
   * How often Keel polls the registry: `@every 5m`, `@hourly`, or a cron expression.
   * @default '@every 5m'
   */
  readonly pollSchedule?: string;
  /**
   * With `force`: update only when the same tag gets a new digest.
   * @default false
   */
  readonly matchTag?: boolean;
}

/** The prop names of {@link AutoUpdate}, to find unknown ones at run time. */
export const AUTO_UPDATE_FIELDS: PropNames<AutoUpdate> = { policy: 'string', trigger: 'string?', pollSchedule: 'string?', matchTag: 'boolean?' };

const SEMVER_TAG = /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/;
const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+([-/][0-9A-Za-z]+)?)(,(\*|[0-9A-Za-z]+([-/][0-9A-Za-z]+)?))*(\/\d+)?$/;

/** Whether Keel (robfig/cron) accepts a poll schedule. */
export function isPollSchedule(value: string): boolean {
  if (value.startsWith('@every ')) {
    return isGoDuration(value.slice('@every '.length));
  }
  if (CRON_DESCRIPTORS.has(value)) {
    return true;
  }
  const fields = value.trim().split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((f) => CRON_FIELD.test(f));
}

/** Records every problem of the `autoUpdate` of a workload running `image` on `checker`, under `props.autoUpdate.*`. */
export function checkAutoUpdate(checker: PropChecker, update: AutoUpdate, image: string): void {
  const { policy } = update;
  const simple = ['patch', 'minor', 'major', 'all', 'force'].includes(policy);
  checker.check(
    simple || /^glob:.+/.test(policy) || /^regexp:.+/.test(policy),
    'props.autoUpdate.policy',
    policy,
    'is not a Keel policy',
    'use patch, minor, major, all, force, glob:<pattern> or regexp:<pattern>',
  );
  if (policy.startsWith('regexp:')) {
    let ok = true;
    try {
      new RegExp(policy.slice('regexp:'.length));
    } catch {
      ok = false;
    }
    checker.check(ok, 'props.autoUpdate.policy', policy, 'is not a valid regular expression');
  }
  const tag = parseImage(image)?.tag;
  if (['patch', 'minor', 'major', 'all'].includes(policy)) {
    checker.check(
      tag !== undefined && SEMVER_TAG.test(tag),
      'props.autoUpdate.policy',
      policy,
      `needs a semver image tag, but the tag is ${tag === undefined ? 'missing' : `"${tag}"`}`,
      'pin a version such as 1.4.2, or use force or glob:',
    );
  }
  const schedule = update.pollSchedule ?? '@every 5m';
  checker.check(
    isPollSchedule(schedule),
    'props.autoUpdate.pollSchedule',
    schedule,
    'is not a schedule Keel understands',
    'write @every 5m, @hourly, or a cron expression',
  );
  if (update.matchTag) {
    checker.check(policy === 'force', 'props.autoUpdate.matchTag', true, 'only applies to the force policy');
  }
  const trigger = update.trigger ?? 'poll';
  checker.check(trigger === 'poll' || trigger === 'default', 'props.autoUpdate.trigger', trigger, 'must be "poll" or "default"');
}

/** The Keel annotations of a workload, once {@link checkAutoUpdate} found no problem. */
export function keelAnnotations(update: AutoUpdate): Record<string, string> {
  const { policy } = update;
  const schedule = update.pollSchedule ?? '@every 5m';
  const trigger = update.trigger ?? 'poll';
  return {
    [KEEL_POLICY_ANNOTATION]: policy,
    'keel.sh/trigger': trigger,
    ...(trigger === 'poll' ? { 'keel.sh/pollSchedule': schedule } : {}),
    ...(update.matchTag ? { 'keel.sh/match-tag': 'true' } : {}),
  };
}
