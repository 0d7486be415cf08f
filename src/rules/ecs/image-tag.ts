import { defineRule } from '../../engine/rule.js';
import { textOf, type Prop } from '../../model/value.js';
import { replaceUnknownParts } from '../../parsers/text-scan.js';

/** Stands for a part of the image reference that cannot be known. */
const HOLE = '\u0000';
/**
 * Parts that cannot be known: CloudFormation `${...}` (unresolved Sub variables, pseudo parameters,
 * textOf's `${?}`), and placeholders of rendering tools (`{{ }}`, `<%= %>`, `__TAG__`, `{account}`).
 */
/** What a Docker image reference may hold (with holes for unknown parts). */
const REFERENCE = /^[A-Za-z0-9._/:@\u0000-]+$/;

type TagVerdict = { kind: 'latest' | 'untagged' } | { kind: 'pinned' | 'unknown' };

/** Judge an image reference's tag: `:latest`, no tag (Docker pulls latest), pinned (a tag or a digest), or unknown. */
function judgeImage(image: Prop): TagVerdict {
  if (!image.present) return { kind: 'unknown' };
  const s = image.str();
  let text: string;
  if (s !== undefined && image.res.kind === 'literal' && !image.res.pseudo) text = s;
  else {
    const t = textOf(image.node, image.owner.scope);
    text = t.text;
  }
  text = replaceUnknownParts(text.trim(), HOLE);
  if (text === '' || !REFERENCE.test(text)) return { kind: 'unknown' };
  if (text.includes('@')) return { kind: 'pinned' };
  const last = text.slice(text.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  if (colon < 0) {
    // An unknown part in the last path segment may carry the tag.
    return last.includes(HOLE) || last === '' ? { kind: 'unknown' } : { kind: 'untagged' };
  }
  const tag = last.slice(colon + 1);
  if (tag === '' || tag.includes(HOLE) || tag.includes(':')) return { kind: 'unknown' };
  return tag === 'latest' ? { kind: 'latest' } : { kind: 'pinned' };
}

export default defineRule({
  id: 'ecs/image-tag',
  severity: 'warning',
  description: 'Container images should be pinned to a tag other than latest, or a digest.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      for (const c of td.containers) {
        const v = judgeImage(c.image);
        if (v.kind !== 'latest' && v.kind !== 'untagged') continue;
        const image = (c.image.str() ?? textOf(c.image.node, c.image.owner.scope).text).replace(/\$\{\?\}/g, '…');
        const what = v.kind === 'latest' ? `the mutable "latest" tag ("${image}")` : `no tag ("${image}"), which Docker resolves to "latest"`;
        report(c.image, `Container ${c.label} of task definition "${td.label}" uses image ${what}, so which image runs depends on what was last pushed under that tag when a task is started or the service deployed, and redeploying an earlier revision does not bring the old image back; pin a version tag (ideally one the repository keeps immutable) or a digest (@sha256:...).`);
      }
    }
  },
});
