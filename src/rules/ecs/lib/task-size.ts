import type { Prop } from '../../../model/value.js';

/**
 * Task-level CPU in CPU units: `1024`, `"1024"`, `"1 vCPU"`, `"0.25 vcpu"`, `".5 vCPU"`.
 * Undefined when the value is unknown or not in a form the ECS API accepts.
 */
export function cpuUnits(prop: Prop): number | undefined {
  return parseSize(prop, /^(\d+(?:\.\d+)?|\.\d+)\s*vcpu$/i);
}

/** Task-level memory in MiB: `2048`, `"2048"`, `"2 GB"`, `"0.5GB"`. Undefined when unknown or unparseable. */
export function memoryMiB(prop: Prop): number | undefined {
  return parseSize(prop, /^(\d+(?:\.\d+)?|\.\d+)\s*gb$/i);
}

function parseSize(prop: Prop, unit: RegExp): number | undefined {
  const s = prop.str()?.trim();
  if (s === undefined || s === '') return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  const m = unit.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]) * 1024;
  return Number.isInteger(n) ? n : undefined;
}

/** A container-level integer (MiB or CPU units); undefined when unknown or not a whole number. */
export function wholeNumber(prop: Prop): number | undefined {
  const n = prop.num();
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Fargate CPU (units) → the memory sizes (MiB) it supports. */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** `512, 1024 or 2048` / `1024 to 4096 in steps of 1024` for a message. */
export function describeMemoryChoices(cpu: number): string {
  const sizes = FARGATE_SIZES.get(cpu) ?? [];
  if (sizes.length <= 3) return sizes.length > 1 ? `${sizes.slice(0, -1).join(', ')} or ${sizes[sizes.length - 1]}` : String(sizes[0]);
  return `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1]! - sizes[0]!}`;
}

/** How a size was written, for messages: `"1 vCPU" (1024)` or `1024`; with a unit, `2048 MiB` or `"2 GB" (2048 MiB)`. */
export function shown(prop: Prop, value: number, unit?: string): string {
  const s = prop.str()?.trim() ?? String(value);
  const u = unit ? ` ${unit}` : '';
  return /^\d+$/.test(s) ? `${s}${u}` : `"${s}" (${value}${u})`;
}
