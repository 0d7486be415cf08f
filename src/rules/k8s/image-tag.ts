import { wildcardMatch } from '../../engine/glob.js';
import { defineRule } from '../../engine/rule.js';
import type { FileView } from '../../model/model.js';
import { parseImage } from './lib/image.js';
import { ContainerLabel, podContainers } from './lib/pod.js';

/** Image names whose tag a kustomization of the run sets (`images: [{ name, newTag | digest }]`). */
function kustomizedImages(model: FileView): Set<string> {
  return model.all.memo('k8s/kustomizedImages', () => {
    const names = new Set<string>();
    for (const o of model.all.k8sObjects) {
      if (o.objectKind !== 'Kustomization') continue;
      for (const img of o.props.prop('images').objects()) {
        const name = img.prop('name').str();
        if (name !== undefined && (img.has('newTag') || img.has('digest') || img.has('newName'))) names.add(name);
      }
    }
    return names;
  });
}

export interface ImageTagOptions extends Record<string, unknown> {
  /** Tags (globs: `*` any text, `?` one character) accepted as they are; an image without a tag counts as `latest`. */
  allowTags: string[];
}

export default defineRule<ImageTagOptions, 'latest' | 'untagged'>({
  id: 'k8s/image-tag',
  severity: 'warning',
  description: 'Images should be pinned to a tag other than latest, or a digest.',
  meta: {
    messages: {
      latest: '{{container}} uses "{{image}}", tagged latest: pin a version tag or a digest so every node runs the same build.',
      untagged: '{{container}} uses "{{image}}" without a tag (latest): pin a version tag or a digest so every node runs the same build.',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowTags: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Tags (globs: * is any text, ? one character) the rule accepts; an image without a tag counts as latest.',
        },
      },
    },
  },
  defaultOptions: { allowTags: [] },
  check({ model, report, options }) {
    const allowed = (tag: string) => options.allowTags.some((g) => wildcardMatch(g, tag, { questionMark: true }));
    for (const w of model.workloads) {
      for (const { container, role } of podContainers(w)) {
        const image = container.image;
        const s = image.str();
        if (s === undefined || s.trim() === '' || /^[a-z]+:\/\//.test(s)) continue; // unknown, empty, or a build tool's reference (ko://)
        const ref = parseImage(s);
        if (ref.digest !== undefined) continue;
        if (ref.tag !== undefined && ref.tag !== 'latest') continue;
        if (allowed(ref.tag ?? 'latest')) continue;
        if (kustomizedImages(model).has(ref.repository)) continue;
        report(image, ref.tag === 'latest' ? 'latest' : 'untagged', { container: ContainerLabel(container, role), image: s });
      }
    }
  },
});
