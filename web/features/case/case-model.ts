/** Pure case-module types and rules of the web app (no React, no DOM): safe to unit-test in Node. */
import type { CaseDetail } from '../../../src/contracts/case.schema.ts';
import type { Satisfaction } from '../../../src/domain/case/case-workflow.ts';
import type { Role } from '../../../src/domain/identity/role.ts';

// Response types come from src/contracts (type-only: importing its values would pull zod into the bundle).

export const channels = ['hotline', 'patrol', 'web', 'sensor', 'api'] as const;
export type Channel = (typeof channels)[number];

export const categoryKinds = ['component', 'event', 'hotline'] as const;

export interface CategoryNode {
  code: string;
  name: string;
  nameEn?: string | null;
  kind?: string | null;
  children?: CategoryNode[];
}

export type { CaseDetail, CaseSummary } from '../../../src/contracts/case.schema.ts';
export type TimelineEntry = CaseDetail['timeline'][number];

/** The worklists (工作清单) the server counts, in display order. */
export const worklists = [
  'reported',
  'verifying',
  'pending_filing',
  'to_dispatch',
  'to_handle',
  'pending_check',
  'pending_close',
  'to_reply',
  'overdue',
] as const;
export type Worklist = (typeof worklists)[number];

export interface WorklistCounts {
  counts: Partial<Record<Worklist, number>>;
}

/**
 * The worklists a role works from, mirroring `worklistsOfRole` in src/contracts/case.schema.ts. The counts
 * endpoint answers exactly the role's lists, so once it has answered its keys win; this is the first guess.
 */
const roleWorklists: Record<Role, readonly Worklist[]> = {
  admin: worklists,
  leader: worklists,
  auditor: worklists,
  data_steward: ['to_handle', 'overdue'],
  shift_lead: ['reported', 'pending_filing', 'pending_close', 'to_reply', 'overdue'],
  intake_operator: ['reported', 'to_reply', 'overdue'],
  grid_worker: ['verifying', 'pending_check', 'overdue'],
  dispatcher: ['to_dispatch', 'to_handle', 'overdue'],
  handler: ['to_handle', 'overdue'],
};

export function worklistsOf(role: Role | undefined, counts?: WorklistCounts): readonly Worklist[] {
  if (counts) return worklists.filter((w) => counts.counts[w] !== undefined);
  return role ? roleWorklists[role] : worklists;
}

export interface EventBody {
  event: string;
  expectedVersion: number;
  comment?: string;
  reason?: string;
  departmentIds?: string[];
  evidence?: string[];
  satisfaction?: Satisfaction;
  resolved?: boolean;
  duplicateOf?: string;
  extension?: { amount: number; unit: string };
  instruction?: string;
}

/** Category name in the UI language. */
export function categoryLabel(node: CategoryNode, language: string): string {
  return (language === 'en' && node.nameEn) || node.name;
}

/** Finds the path of codes from a root to `code`, for the cascader's value. */
export function categoryPath(tree: readonly CategoryNode[], code: string): string[] | null {
  for (const node of tree) {
    if (node.code === code) return [node.code];
    const sub = node.children ? categoryPath(node.children, code) : null;
    if (sub) return [node.code, ...sub];
  }
  return null;
}
