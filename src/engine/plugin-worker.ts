/**
 * The worker thread that runs plugin rules (`lintIsolated` in lint.ts starts it): it parses the
 * run's files again from their texts, builds the same model, imports each plugin module by its URL,
 * runs the tasks it was given (one rule on one file each) and posts the findings back as plain
 * data. The main thread stops it (`worker.terminate()`) when a task runs past `--rule-timeout`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseFile, type ParsedFile } from '../parsers/index.js';
import { SourceFile } from '../parsers/tree.js';
import { Model } from '../model/model.js';
import { runCheck, type PlainFinding, type WorkerInput, type WorkerMessage } from './lint.js';
import type { Rule } from './rule.js';
import { exportedRules } from './config.js';

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);

/** The rules a plugin module exports (as config.ts's loadPlugin reads them). */
function rulesOf(mod: Record<string, unknown>): Rule[] {
  return exportedRules(mod).filter((r): r is Rule => !!r && typeof (r as Rule).id === 'string' && typeof (r as Rule).check === 'function');
}

async function main(input: WorkerInput): Promise<void> {
  const parsed: ParsedFile[] = input.files.map(({ path, text, cdk }) => {
    try {
      return parseFile(path, text, cdk);
    } catch {
      // The main thread's parse did not throw on the same text; keep the file list aligned.
      return { file: new SourceFile(path, text, 'yaml'), documents: [], problems: [], recognized: true };
    }
  });
  const model = new Model(parsed);
  const files = new Set(parsed.map((pf) => pf.file));
  const reportOnly = input.reportOnly ? new Set(input.reportOnly) : undefined;
  const index = new Map(parsed.map((pf, i) => [pf.file, i]));
  post({ type: 'ready' });

  const rules = new Map<string, Rule>();
  for (const source of new Set(input.tasks.map((t) => t.source))) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(source)) as Record<string, unknown>;
    } catch (e) {
      post({ type: 'failed', message: `its module failed to load in the worker thread: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    for (const r of rulesOf(mod)) if (!rules.has(`${source}\0${r.id}`)) rules.set(`${source}\0${r.id}`, r);
  }

  for (let i = 0; i < input.tasks.length; i++) {
    const task = input.tasks[i]!;
    post({ type: 'begin', task: i });
    const rule = rules.get(`${task.source}\0${task.rule}`);
    const pf = parsed[task.file]!;
    const findings: PlainFinding[] = [];
    if (!rule) {
      findings.push({ ruleId: task.rule, severity: 'error', message: `Internal error in rule ${task.rule}: its module does not export it in the worker thread.`, file: task.file, start: 0, end: 0, fatal: true });
    } else {
      const out = runCheck(rule, task.severity, pf.file, model.view(pf.file), model, files, reportOnly, task.options);
      for (const f of out.findings) {
        const at = index.get(f.file);
        if (at === undefined) continue;
        findings.push({ ruleId: f.ruleId, severity: f.severity, message: f.message, file: at, start: f.start, end: f.end, ...(f.path !== undefined ? { path: f.path } : {}), ...(f.fatal ? { fatal: true } : {}), ...(f.messageId !== undefined ? { messageId: f.messageId, data: f.data!, render: f.render! } : {}) });
      }
    }
    post({ type: 'done', task: i, findings });
  }
  post({ type: 'end' });
}

main(workerData as WorkerInput).catch((e: unknown) => post({ type: 'failed', message: `the worker thread failed: ${e instanceof Error ? e.message : String(e)}` }));
