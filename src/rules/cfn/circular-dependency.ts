import { defineRule } from '../../engine/rule.js';
import type { Node } from '../../parsers/tree.js';
import type { CfnReference } from '../../model/cfn.js';

/**
 * Cycles among resources (Ref, Fn::GetAtt, Fn::Sub, DependsOn) and among conditions, found as
 * strongly connected components (Tarjan, iterative, linear in references). One finding per
 * cycle, at the reference that leaves the cycle's first member (in document order) towards the
 * next member of the cycle the message names.
 */
export const CIRCULAR_DEPENDENCY_MESSAGES = {
  resourceSelf: 'Resource "{{resource}}" depends on itself ({{via}}); move the reference into a resource of its own (such as an AWS::EC2::SecurityGroupIngress) or use a parameter.',
  resourceCycle: 'Resources form a dependency cycle: {{cycle}}; remove one of these references or move it into a resource of its own (such as an AWS::EC2::SecurityGroupIngress).',
  resourceCycleMore: 'Resources form a dependency cycle: {{cycle}} (with {{others}} caught in it too); remove one of these references or move it into a resource of its own.',
  conditionSelf: 'Condition "{{condition}}" refers to itself; define it from parameters and other conditions.',
  conditionCycle: 'Conditions form a cycle: {{cycle}}; define one of them without referring to the others.',
  conditionCycleMore: 'Conditions form a cycle: {{cycle}} (with {{others}} caught in it too); define one of them without referring to the others.',
} as const;

export default defineRule({
  id: 'cfn/circular-dependency',
  severity: 'error',
  description: 'Resources must not depend on each other in a cycle (Ref, Fn::GetAtt, Fn::Sub, DependsOn), nor conditions refer to each other in one.',
  meta: { messages: CIRCULAR_DEPENDENCY_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) {
      // A macro may rewrite references: left alone.
      if (template.rewrittenBy !== undefined) continue;
      const deps = template.dependencies();
      for (const cycle of cycles(deps.resources)) {
        if (cycle.path.length === 2) report(cycle.at, 'resourceSelf', { resource: cycle.path[0]!, via: cycle.via });
        else if (cycle.others.length) report(cycle.at, 'resourceCycleMore', { cycle: cycle.path.join(' → '), others: othersOf(cycle) });
        else report(cycle.at, 'resourceCycle', { cycle: cycle.path.join(' → ') });
      }
      for (const cycle of cycles(deps.conditions)) {
        if (cycle.path.length === 2) report(cycle.at, 'conditionSelf', { condition: cycle.path[0]! });
        else if (cycle.others.length) report(cycle.at, 'conditionCycleMore', { cycle: cycle.path.join(' → '), others: othersOf(cycle) });
        else report(cycle.at, 'conditionCycle', { cycle: cycle.path.join(' → ') });
      }
    }
  },
});

interface Cycle {
  /** The named cycle, first member repeated at the end: `[A, B, C, A]`. */
  path: string[];
  /** Members of the same strongly connected component that the named cycle does not pass through. */
  others: string[];
  /** The first reference of the first member to the next member. */
  at: Node;
  via: string;
  /** Document index of the first member. */
  first: number;
}

/** The other members of a cycle's component, for messages: `"D"`, `"D" and "E"`. */
function othersOf(cycle: Cycle): string {
  return list(cycle.others);
}

function list(names: string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length > 1 ? `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}` : q[0]!;
}

/** The cycles of a graph whose nodes are the map's keys (in document order), one per strongly connected component. */
export function cycles(graph: Map<string, CfnReference[]>): Cycle[] {
  const ids = [...graph.keys()];
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const adj: number[][] = ids.map((id) => (graph.get(id) ?? []).map((r) => index.get(r.target)).filter((t): t is number => t !== undefined));
  const out: Cycle[] = [];
  for (const scc of tarjan(adj)) {
    let start = scc[0]!;
    for (const m of scc) if (m < start) start = m;
    if (scc.length === 1 && !adj[start]!.includes(start)) continue;
    const path = scc.length === 1 ? [start, start] : shortestCycle(adj, start, new Set(scc));
    const next = ids[path[1]!]!;
    const ref = graph.get(ids[start]!)!.find((r) => r.target === next)!;
    const onPath = new Set(path);
    const others = scc.filter((m) => !onPath.has(m)).sort((a, b) => a - b).map((m) => ids[m]!);
    out.push({ path: path.map((i) => ids[i]!), others, at: ref.node, via: ref.via, first: start });
  }
  return out.sort((a, b) => a.first - b.first);
}

/** Strongly connected components (Tarjan), without recursion. */
function tarjan(adj: number[][]): number[][] {
  const n = adj.length;
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const work: Array<[number, number]> = [];
  for (let root = 0; root < n; root++) {
    if (idx[root] !== -1) continue;
    work.push([root, 0]);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i === 0) {
        idx[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
      }
      const edges = adj[v]!;
      if (i < edges.length) {
        frame[1] = i + 1;
        const w = edges[i]!;
        if (idx[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v]!, idx[w]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === idx[v]) {
        const scc: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          scc.push(w);
        } while (w !== v);
        out.push(scc);
      }
    }
  }
  return out;
}

/** The shortest cycle through `start` inside its component (breadth-first, edges in document order). */
function shortestCycle(adj: number[][], start: number, members: Set<number>): number[] {
  const prev = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of adj[v]!) {
      if (!members.has(w) || (v === start && w === start)) continue;
      if (w === start) {
        // Walk back from the last hop to the first, then read it forwards.
        const back: number[] = [];
        for (let c = v; c !== start; c = prev.get(c)!) back.push(c);
        return [start, ...back.reverse(), start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
