import { ALLOW_FLOATING_TAG_ANNOTATION, KEEL_POLICY_ANNOTATION } from '../../core/annotations';
import type { SynthesizedObject } from '../../core/manifest';
import { asObj, containersOf, podTemplates } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { floatingImage, parseImage } from '../../core/value-rules';

/**
 * Image references: valid syntax, and a pinned tag. An image without a tag
 * or tagged `latest` changes under the cluster's feet; it is an error unless
 * the workload is under Keel's automatic updates or says it is intended.
 */
export function imageReferences(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    const annotations = asObj(o.manifest.metadata.annotations);
    const floatingAllowed = annotations[ALLOW_FLOATING_TAG_ANNOTATION] === 'true' || annotations[KEEL_POLICY_ANNOTATION] !== undefined;
    for (const t of podTemplates(o.manifest)) {
      for (const { field, container } of containersOf(t)) {
        const image = container.image;
        if (typeof image !== 'string') {
          continue;
        }
        const ref = parseImage(image);
        const floating = ref && !floatingAllowed ? floatingImage(ref) : undefined;
        if (!ref) {
          problems.push(
            objectProblem(o, `${field}.image`, image, 'is not a valid image reference', 'write it as [registry/]repository:tag, e.g. ghcr.io/owner/app:1.2.3'),
          );
        } else if (floating) {
          problems.push(
            objectProblem(
              o,
              `${field}.image`,
              image,
              floating.message,
              `pin a version (e.g. ${floating.pinned}), turn on automatic updates, or set allowFloatingTag`,
            ),
          );
        }
      }
    }
  }
  return problems;
}
