// cfn-lint's findings on the corpus and the templates it was run on (shared by the cfn-lint comparisons).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * cfn-lint's findings (the reference JSON) and the templates cfn-lint was run on: the files it has a
 * finding in, plus the corpus's CloudFormation files (INDEX.tsv: path, kind, bytes) when the index exists.
 */
export function loadReference(referencePath, corpus) {
  const reference = JSON.parse(readFileSync(referencePath, 'utf8'));
  const templates = new Set(reference.map((f) => f.file));
  try {
    for (const line of readFileSync(join(corpus, 'INDEX.tsv'), 'utf8').split('\n').slice(1)) {
      const [path, kind] = line.split('\t');
      if (kind === 'cfn-yaml' || kind === 'cfn-json') templates.add(path);
    }
  } catch {
    /* no index: only files with a cfn-lint finding count as linted */
  }
  return { reference, templates };
}
