import { wildcardMatch } from '../../engine/glob.js';
import type { Prop } from '../../model/value.js';

/** The `allowImages` option of the hardening rules: image globs (`*` any text, `?` one character) a rule skips. */
export const ALLOW_IMAGES_SCHEMA = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  description: 'Image references (globs: * is any text, ? one character) the rule leaves alone.',
} as const;

/**
 * Is a container's image one the options allow (`allowImages`)? Only a known image can match; a
 * glob is matched against the whole reference as written (`public.ecr.aws/aws-observability/*`,
 * `*:debug`, `amazon/aws-for-fluent-bit*`). Globs come from the user's config, never from the
 * linted files, and are matched without regular expressions.
 */
export function imageAllowed(image: Prop, allowImages: readonly string[] | undefined): boolean {
  if (!allowImages || allowImages.length === 0) return false;
  const s = image.str();
  if (s === undefined) return false;
  return allowImages.some((g) => wildcardMatch(g, s, { questionMark: true }));
}
