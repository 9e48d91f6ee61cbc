/**
 * The validation report of a spatial import. Every finding names the feature by its 0-based index in the
 * uploaded collection (null for a stored region that is not in the file), its code when known, a stable reason
 * and an English message (the web app translates the reason).
 *
 * Errors — any one refuses the whole import (nothing is written):
 * - geometry.type, geometry.invalid_coordinates (NaN, non-numbers, outside ±180/±90), geometry.too_many_vertices,
 *   geometry.unclosed_ring, geometry.too_few_points (< 3 distinct vertices), geometry.self_intersection
 *   (including rings crossing each other), geometry.hole_outside;
 * - code.missing, code.invalid (not a 12-digit region code / 15- or 14-digit grid code of the right kind),
 *   code.level_mismatch (a declared level that disagrees with the code), code.duplicate (the second and later
 *   uses of a code in the file);
 * - parent.mismatch (a declared parent code the code does not lie under), parent.missing (an orphan: the parent
 *   is neither in the file nor stored), scope.outside (outside the importer's region subtree),
 *   department.not_found (layers);
 * - geometry.outside_parent: a vertex lies outside the parent's polygon by more than `outsideToleranceM`;
 * - overlap.siblings: two siblings (same parent, from the file or already stored) overlap by more than
 *   `overlapToleranceM2`.
 *
 * Warnings — reported, the import proceeds:
 * - name.missing (the code is used as the name), code.legacy (a 14-digit grid code converted to 15 digits);
 * - overlap.small: siblings overlapping by more than 0.01 m² but at most `overlapToleranceM2` (digitising noise);
 * - coverage.gap: the part of a community not covered by its grids exceeds `gapToleranceM2`. Real communities
 *   have uncovered land (rivers, rail, closed compounds), so a gap is for a person to judge, not a refusal.
 * Overlaps under 0.01 m² and gaps under the tolerance are floating-point noise and not reported.
 */
import { geometryAreaM2 } from '../geo/area.ts';
import { bboxOf, type BBox, type Geometry } from '../geo/geometry.ts';
import { distanceToRing, pointInRing } from '../geo/point-in-polygon.ts';
import { localProjection, type LocalProjection } from '../geo/projection.ts';
import { isGridCode, levelOfCode, parentCodeOf, type RegionLevel } from '../region/region-code.ts';
import type { ImportFeature } from './import-mapping.ts';
import { boxesOverlap, planarArea, planarBBox, polygonsOf, toPlanar } from './planar.ts';
import { intersect, subtract, type MultiPoly } from './polyclip.ts';
import { checkGeometry, type GeometryReason } from './ring-checks.ts';

export const importKinds = ['regions', 'grids', 'layer'] as const;
export type ImportKind = (typeof importKinds)[number];

export type FindingReason =
  | GeometryReason
  | 'geometry.outside_parent'
  | 'code.missing'
  | 'code.invalid'
  | 'code.level_mismatch'
  | 'code.duplicate'
  | 'code.legacy'
  | 'name.missing'
  | 'parent.mismatch'
  | 'parent.missing'
  | 'scope.outside'
  | 'department.not_found'
  | 'overlap.siblings'
  | 'overlap.small'
  | 'coverage.gap';

export interface Finding {
  index: number | null;
  code?: string;
  reason: FindingReason;
  message: string;
}

export interface ValidationOptions {
  outsideToleranceM: number;
  overlapToleranceM2: number;
  gapToleranceM2: number;
  maxVerticesPerPolygon: number;
}

export const defaultValidationOptions: ValidationOptions = {
  outsideToleranceM: 5,
  overlapToleranceM2: 5,
  gapToleranceM2: 100,
  maxVerticesPerPolygon: 20_000,
};

export interface StoredRegion {
  level: RegionLevel;
  parentCode: string | null;
  geometry: Geometry | null;
}

export interface ValidationContext {
  /** Stored regions that may be parents or siblings of the imported features, by code. */
  regions: ReadonlyMap<string, StoredRegion>;
  /** Stored grids of the communities the file touches, by code. */
  grids: ReadonlyMap<string, { communityCode: string; geometry: Geometry }>;
  /** Known department codes (layers). */
  departmentCodes?: ReadonlySet<string>;
  /** Whether the importer may write in this region (code prefix); absent = anywhere. */
  inScope?: (regionCode: string) => boolean;
}

export interface ValidFeature {
  index: number;
  type: 'region' | 'grid' | 'layer_feature';
  code: string;
  legacyCode: string | null;
  name: string;
  nameEn: string | null;
  /** Region: parent region; grid: community; layer feature: the region it belongs to, if given. */
  parentCode: string | null;
  level: RegionLevel | null;
  department: string | null;
  unit: string | null;
  geometry: Geometry;
  areaM2: number;
  bbox: BBox;
}

export interface ValidationReport {
  errors: Finding[];
  warnings: Finding[];
  counts: {
    features: number;
    regions: number;
    grids: number;
    layerFeatures: number;
    errors: number;
    warnings: number;
  };
}

const LEVEL_NAMES: Record<string, RegionLevel> = {
  province: 'province',
  省: 'province',
  city: 'city',
  市: 'city',
  district: 'district',
  county: 'district',
  区: 'district',
  县: 'district',
  区县: 'district',
  street: 'street',
  town: 'street',
  街道: 'street',
  乡镇: 'street',
  镇: 'street',
  乡: 'street',
  community: 'community',
  village: 'community',
  社区: 'community',
  村: 'community',
};
const LAYER_CODE = /^[\w.-]{1,64}$/;

/** A 15-digit grid code from a 15-digit or legacy 14-digit one (community 12 + 2-digit sequence, zero-padded). */
export function normalizeGridCode(code: string): { code: string; legacy: string | null } | null {
  if (isGridCode(code)) return { code, legacy: null };
  if (/^\d{14}$/.test(code)) {
    const padded = code.slice(0, 12) + '0' + code.slice(12);
    if (isGridCode(padded)) return { code: padded, legacy: code };
  }
  return null;
}

interface Classified {
  type: ValidFeature['type'];
  code: string;
  legacy: string | null;
  level: RegionLevel | null;
  expectedParent: string | null;
}

function classify(
  kind: ImportKind,
  f: ImportFeature,
  add: (reason: FindingReason, message: string) => void,
): Classified | null {
  const raw = f.code;
  if (!raw) {
    add('code.missing', 'the feature has no code');
    return null;
  }
  if (kind === 'layer') {
    if (!LAYER_CODE.test(raw)) {
      add('code.invalid', `layer feature code "${raw}" must be 1–64 letters, digits, _ . -`);
      return null;
    }
    return { type: 'layer_feature', code: raw, legacy: null, level: null, expectedParent: f.parentCode };
  }
  const grid = normalizeGridCode(raw);
  if (grid) {
    if (grid.legacy) add('code.legacy', `legacy 14-digit grid code ${raw} stored as ${grid.code}`);
    return {
      type: 'grid',
      code: grid.code,
      legacy: grid.legacy,
      level: null,
      expectedParent: grid.code.slice(0, 12),
    };
  }
  const level = kind === 'regions' ? levelOfCode(raw) : null;
  if (!level) {
    add(
      'code.invalid',
      kind === 'grids'
        ? `"${raw}" is not a grid code (15 digits = community 12 + sequence 3, or legacy 14 digits)`
        : `"${raw}" is not a region code (12 digits) or grid code (15 or legacy 14 digits)`,
    );
    return null;
  }
  const declared = f.level ? LEVEL_NAMES[f.level.toLowerCase()] : undefined;
  if (f.level && declared !== level) {
    add('code.level_mismatch', `declared level "${f.level}" but the code ${raw} is a ${level}`);
    return null;
  }
  return { type: 'region', code: raw, legacy: null, level, expectedParent: parentCodeOf(raw) };
}

/** Largest distance (m) by which any vertex of `child` lies outside `parent`; 0 when all are inside or on it. */
function outsideDistance(child: Geometry, parent: MultiPoly, proj: LocalProjection): number {
  let worst = 0;
  for (const rings of polygonsOf(child)) {
    for (const p of rings[0] ?? []) {
      const xy = proj.toXY(p);
      const inside = parent.some(
        ([outer, ...holes]) => outer && pointInRing(xy, outer) && !holes.some((h) => pointInRing(xy, h)),
      );
      if (inside) continue;
      let d = Infinity;
      for (const poly of parent) for (const ring of poly) d = Math.min(d, distanceToRing(xy, ring));
      worst = Math.max(worst, d);
    }
  }
  return worst;
}

export function validateFeatures(
  kind: ImportKind,
  features: readonly ImportFeature[],
  ctx: ValidationContext,
  options: Partial<ValidationOptions> = {},
): { report: ValidationReport; valid: ValidFeature[] } {
  const opts = { ...defaultValidationOptions, ...options };
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const warningReasons = new Set<FindingReason>([
    'code.legacy',
    'name.missing',
    'overlap.small',
    'coverage.gap',
  ]);
  const candidates: (ValidFeature & { failed: boolean })[] = [];
  const firstIndexOf = new Map<string, number>();

  for (const f of features) {
    let failed = false;
    let code: string | undefined = f.code ?? undefined;
    const add = (reason: FindingReason, message: string) => {
      const finding: Finding = { index: f.index, ...(code ? { code } : {}), reason, message };
      if (warningReasons.has(reason)) warnings.push(finding);
      else {
        errors.push(finding);
        failed = true;
      }
    };
    const c = classify(kind, f, add);
    if (c) code = c.code;
    const g = checkGeometry(f.geometry, opts.maxVerticesPerPolygon);
    for (const issue of g.issues) add(issue.reason, issue.message);
    if (!c) continue;

    const first = firstIndexOf.get(c.code);
    if (first !== undefined) add('code.duplicate', `code ${c.code} is also used by feature ${first}`);
    else firstIndexOf.set(c.code, f.index);

    if (c.type !== 'layer_feature' && f.parentCode && f.parentCode !== c.expectedParent) {
      add(
        'parent.mismatch',
        `code ${c.code} does not lie under the declared parent ${f.parentCode} (expected ${c.expectedParent ?? 'none'})`,
      );
    }
    const scopeCode = c.type === 'layer_feature' ? c.expectedParent : c.code.slice(0, 12);
    if (ctx.inScope && (scopeCode === null ? !ctx.inScope('') : !ctx.inScope(scopeCode))) {
      add(
        'scope.outside',
        scopeCode
          ? `${scopeCode} is outside your region scope`
          : 'a layer feature without a region needs a system-wide scope',
      );
    }
    if (
      c.type === 'layer_feature' &&
      f.department &&
      ctx.departmentCodes &&
      !ctx.departmentCodes.has(f.department)
    ) {
      add('department.not_found', `department ${f.department} does not exist`);
    }
    if (!f.name) add('name.missing', `no name; the code ${c.code} is used as the name`);
    if (!g.geometry) continue;
    candidates.push({
      index: f.index,
      type: c.type,
      code: c.code,
      legacyCode: c.legacy,
      name: f.name ?? c.code,
      nameEn: f.nameEn,
      parentCode: c.expectedParent,
      level: c.level,
      department: f.department,
      unit: f.unit,
      geometry: g.geometry,
      areaM2: geometryAreaM2(g.geometry),
      bbox: bboxOf(g.geometry),
      failed,
    });
  }

  // Parents: an orphan has its parent neither in the file (as a region with a valid code) nor stored.
  const fileRegions = new Map<string, ValidFeature>();
  const candidateAt = new Map(candidates.map((c) => [c.index, c]));
  for (const f of candidates)
    if (f.type === 'region' && firstIndexOf.get(f.code) === f.index) fileRegions.set(f.code, f);
  for (const f of features) {
    if (candidateAt.has(f.index)) continue;
    // Features whose geometry failed still have a parent to check; classify again without findings.
    const c = classify(kind, f, () => undefined);
    if (c?.type === 'region' && firstIndexOf.get(c.code) === f.index && !fileRegions.has(c.code)) {
      fileRegions.set(c.code, { code: c.code } as ValidFeature);
    }
  }
  const reportParent = (index: number, code: string, parent: string | null, type: ValidFeature['type']) => {
    if (parent === null) return;
    if (fileRegions.has(parent) || ctx.regions.has(parent)) return;
    const what = type === 'grid' ? 'community' : type === 'layer_feature' ? 'region' : 'parent region';
    errors.push({
      index,
      code,
      reason: 'parent.missing',
      message: `the ${what} ${parent} is neither in the file nor stored`,
    });
  };
  for (const f of features) {
    const c = classify(kind, f, () => undefined);
    if (c) reportParent(f.index, c.code, c.expectedParent, c.type);
  }
  const erroneous = new Set(errors.map((e) => e.index));
  for (const c of candidates) if (erroneous.has(c.index)) c.failed = true;

  const good = candidates.filter((f) => !f.failed);
  if (good.length > 0) {
    const all: BBox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of good) {
      all[0] = Math.min(all[0], f.bbox[0]);
      all[1] = Math.min(all[1], f.bbox[1]);
      all[2] = Math.max(all[2], f.bbox[2]);
      all[3] = Math.max(all[3], f.bbox[3]);
    }
    const proj = localProjection((all[0] + all[2]) / 2, (all[1] + all[3]) / 2);
    checkRelations(kind, good, fileRegions, ctx, proj, opts, errors, warnings);
  }

  const failedIdx = new Set(errors.map((e) => e.index));
  const valid = candidates.filter((f) => !failedIdx.has(f.index)).map(({ failed: _failed, ...rest }) => rest);
  const byIndex = (a: Finding, b: Finding) => (a.index ?? -1) - (b.index ?? -1);
  errors.sort(byIndex);
  warnings.sort(byIndex);
  return {
    report: {
      errors,
      warnings,
      counts: {
        features: features.length,
        regions: valid.filter((f) => f.type === 'region').length,
        grids: valid.filter((f) => f.type === 'grid').length,
        layerFeatures: valid.filter((f) => f.type === 'layer_feature').length,
        errors: errors.length,
        warnings: warnings.length,
      },
    },
    valid,
  };
}

interface Member {
  index: number | null;
  code: string;
  planar: MultiPoly;
  box: BBox;
}

function checkRelations(
  kind: ImportKind,
  good: ValidFeature[],
  fileRegions: Map<string, ValidFeature>,
  ctx: ValidationContext,
  proj: LocalProjection,
  opts: ValidationOptions,
  errors: Finding[],
  warnings: Finding[],
): void {
  if (kind === 'layer') return;
  const planarCache = new Map<string, MultiPoly>();
  const planarOf = (code: string, g: Geometry) => {
    let p = planarCache.get(code);
    if (!p) planarCache.set(code, (p = toPlanar(g, proj)));
    return p;
  };
  const parentGeometry = (code: string): Geometry | null => {
    const inFile = fileRegions.get(code);
    if (inFile) return inFile.geometry ?? null;
    return ctx.regions.get(code)?.geometry ?? null;
  };

  // Children outside their parent, beyond the tolerance.
  for (const f of good) {
    if (!f.parentCode) continue;
    const pg = parentGeometry(f.parentCode);
    if (!pg) continue;
    const d = outsideDistance(f.geometry, planarOf(f.parentCode, pg), proj);
    if (d > opts.outsideToleranceM) {
      errors.push({
        index: f.index,
        code: f.code,
        reason: 'geometry.outside_parent',
        message: `lies up to ${d.toFixed(1)} m outside its parent ${f.parentCode} (tolerance ${opts.outsideToleranceM} m)`,
      });
    }
  }

  // Siblings: the file's features plus stored ones the import does not replace.
  const inFile = new Set(good.map((f) => f.code));
  const groups = new Map<string, Member[]>();
  const addMember = (parent: string, m: Member) => {
    let list = groups.get(parent);
    if (!list) groups.set(parent, (list = []));
    list.push(m);
  };
  for (const f of good) {
    if (!f.parentCode) continue;
    const planar = planarOf(f.code, f.geometry);
    addMember(f.parentCode, { index: f.index, code: f.code, planar, box: planarBBox(planar) });
  }
  for (const parent of [...groups.keys()]) {
    for (const [code, g] of ctx.grids) {
      if (g.communityCode !== parent || inFile.has(code)) continue;
      const planar = planarOf(code, g.geometry);
      addMember(parent, { index: null, code, planar, box: planarBBox(planar) });
    }
    for (const [code, r] of ctx.regions) {
      if (r.parentCode !== parent || !r.geometry || inFile.has(code)) continue;
      const planar = planarOf(code, r.geometry);
      addMember(parent, { index: null, code, planar, box: planarBBox(planar) });
    }
  }
  for (const members of groups.values()) {
    const sorted = members.slice().sort((a, b) => a.box[0] - b.box[0]);
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length && sorted[j]!.box[0] <= a.box[2]; j++) {
        const b = sorted[j]!;
        if (a.index === null && b.index === null) continue;
        if (!boxesOverlap(a.box, b.box)) continue;
        const area = planarArea(intersect(a.planar, b.planar));
        if (area <= 0.01) continue;
        // Name the later feature of the file, and the other one in the message.
        const [subject, other] =
          b.index === null || (a.index !== null && a.index > b.index) ? [a, b] : [b, a];
        const where =
          other.index === null ? `stored ${other.code}` : `${other.code} (feature ${other.index})`;
        const target = area > opts.overlapToleranceM2 ? errors : warnings;
        target.push({
          index: subject.index,
          code: subject.code,
          reason: area > opts.overlapToleranceM2 ? 'overlap.siblings' : 'overlap.small',
          message: `overlaps ${where} by ${area.toFixed(2)} m² (tolerance ${opts.overlapToleranceM2} m²)`,
        });
      }
    }
  }

  // Coverage: each community with grids in the file, against all of its grids.
  for (const [parent, members] of groups) {
    if (!members.some((m) => m.index !== null) || levelOfCode(parent) !== 'community') continue;
    if (!good.some((f) => f.type === 'grid' && f.parentCode === parent)) continue;
    const pg = parentGeometry(parent);
    if (!pg) continue;
    const gap = planarArea(subtract(planarOf(parent, pg), ...members.map((m) => m.planar)));
    if (gap > opts.gapToleranceM2) {
      const community = fileRegions.get(parent);
      warnings.push({
        index: community?.index ?? null,
        code: parent,
        reason: 'coverage.gap',
        message: `${gap.toFixed(0)} m² of community ${parent} is not covered by its grids (tolerance ${opts.gapToleranceM2} m²)`,
      });
    }
  }
}
