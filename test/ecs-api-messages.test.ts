// The message ids and data of the ECS API-shape findings (src/rules/ecs/lib/api-schema.ts): every
// finding of the four rules' fixtures names a template of its kind and gives data for each of its
// placeholders, so a rule can report `report(f.node, f.messageId, f.data)`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parsers/index.js';
import { Model } from '../src/model/model.js';
import { placeholders, renderMessage } from '../src/engine/rule.js';
import { ECS_API_MESSAGES, ecsApiFindings } from '../src/rules/ecs/lib/api-schema.js';
import { FIXTURES } from './helpers/fixtures.js';

const KINDS = ['unknown-field', 'field-type', 'allowed-values', 'read-only-field'] as const;

describe('ECS API-shape findings carry a message id and its data', () => {
  for (const kind of KINDS) {
    it(kind, () => {
      const dir = join(FIXTURES, 'rules', 'ecs', kind);
      const files = readdirSync(dir).filter((n) => n.startsWith('report-') && n.endsWith('.json') && statSync(join(dir, n)).isFile());
      expect(files.length).toBeGreaterThan(0);
      let seen = 0;
      for (const name of files) {
        const model = new Model([parseFile(join(dir, name), readFileSync(join(dir, name), 'utf8'))]);
        for (const td of model.taskDefinitions) {
          for (const f of ecsApiFindings(td).filter((x) => x.kind === kind)) {
            seen++;
            const templates: Record<string, string> = ECS_API_MESSAGES[kind];
            const template = templates[f.messageId];
            expect(template, `${name}: ${f.messageId}`).toBeDefined();
            for (const p of placeholders(template!)) expect(f.data[p], `${name}: {{${p}}} of ${f.messageId}`).toBeTypeOf('string');
            expect(renderMessage(template!, f.data, 'camel')).not.toContain('{{');
          }
        }
      }
      expect(seen).toBeGreaterThan(0);
    });
  }
});
