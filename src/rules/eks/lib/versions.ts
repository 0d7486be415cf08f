/**
 * The Amazon EKS Kubernetes version calendar: the one place that knows support dates.
 *
 * UPDATE THIS TABLE when EKS releases a version (about every four months) — the source is the
 * "Amazon EKS Kubernetes release calendar" in the EKS User Guide
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html) or
 * `aws eks describe-cluster-versions`. Standard support lasts 14 months from the EKS release,
 * extended support 12 more. Versions newer than the table are treated as supported (unknown),
 * versions older than it as past the end of extended support.
 * Last updated: 2026-12-01.
 */
import { unknown, type Unknown } from '../../../model/answer.js';

export interface EksVersion {
  version: string;
  /** First day without standard support (UTC). */
  endOfStandardSupport: string;
  /** First day without extended support (UTC). */
  endOfExtendedSupport: string;
}

export const EKS_VERSIONS: readonly EksVersion[] = [
  { version: '1.29', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23' },
  { version: '1.30', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
  { version: '1.31', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
];

/** Where a version stands: in standard support, in extended support, past its end, or unknown (not on the calendar). */
export type SupportStatus =
  | { status: 'standard' }
  | { status: 'extended'; entry: EksVersion }
  | { status: 'ended'; entry?: EksVersion }
  | Unknown;

/** Where a `major.minor` version stands on a day (`YYYY-MM-DD`). */
export function supportStatus(major: number, minor: number, today: string): SupportStatus {
  if (major !== 1) return unknown(`Kubernetes ${major}.${minor} is not on the EKS release calendar`);
  const oldest = Number(EKS_VERSIONS[0]!.version.split('.')[1]);
  const newest = Number(EKS_VERSIONS[EKS_VERSIONS.length - 1]!.version.split('.')[1]);
  if (minor < oldest) return { status: 'ended' };
  if (minor > newest) return unknown(`Kubernetes 1.${minor} is newer than stowage's EKS release calendar`);
  const entry = EKS_VERSIONS.find((v) => v.version === `1.${minor}`);
  if (!entry) return unknown(`Kubernetes 1.${minor} is not on the EKS release calendar`);
  if (today >= entry.endOfExtendedSupport) return { status: 'ended', entry };
  if (today >= entry.endOfStandardSupport) return { status: 'extended', entry };
  return { status: 'standard' };
}

/** The versions of the table in standard support on a day, oldest first. */
export function standardVersions(today: string): string[] {
  return EKS_VERSIONS.filter((v) => today < v.endOfStandardSupport).map((v) => v.version);
}

/** Today as `YYYY-MM-DD` (UTC); `STOWAGE_TODAY=YYYY-MM-DD` fixes the day (the test suite pins it so fixtures do not age). */
export function todayUtc(): string {
  const fixed = process.env.STOWAGE_TODAY;
  if (fixed && /^\d{4}-\d{2}-\d{2}$/.test(fixed)) return fixed;
  return new Date().toISOString().slice(0, 10);
}
