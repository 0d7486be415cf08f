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

export default defineRule({
  id: 'k8s/image-tag',
  severity: 'warning',
  description: 'Images should be pinned to a tag other than latest, or a digest.',
  check({ model, report }) {
    for (const w of model.workloads) {
      for (const { container, role } of podContainers(w)) {
        const image = container.image;
        const s = image.str();
        if (s === undefined || s.trim() === '' || /^[a-z]+:\/\//.test(s)) continue; // unknown, empty, or a build tool's reference (ko://)
        const ref = parseImage(s);
        if (ref.digest !== undefined) continue;
        if (ref.tag !== undefined && ref.tag !== 'latest') continue;
        if (kustomizedImages(model).has(ref.repository)) continue;
        const what = ref.tag === 'latest' ? 'tagged latest' : 'which has no tag and so means latest';
        report(image, `${ContainerLabel(container, role)} uses image "${s}", ${what}: each node may pull a different build and a rollback cannot return to the previous one; pin a version tag (${ref.repository}:1.2.3) or a digest (@sha256:...).`);
      }
    }
  },
});
