/**
 * Turns an uploaded FeatureCollection into normalized import features: the property mapping picks code, name,
 * parent code and level out of each feature's properties, and every vertex is converted from the declared
 * coordinate system (GCJ-02 from Amap/Tencent, BD-09 from Baidu) to WGS-84, which is what Zhizhi stores.
 * Nothing here rejects a feature: malformed input is carried through for `validateFeatures` to report by index.
 */
import { toWgs84, type Crs } from '../geo/crs.ts';
import type { Position } from '../geo/geometry.ts';

export interface PropertyMapping {
  /** Property holding the feature's code (region code, grid code or layer feature code). */
  code: string;
  name: string;
  /** Property holding the parent's code; when absent the parent is derived from the code itself. */
  parentCode?: string | undefined;
  /** Property holding a level name (province … community); when present it must agree with the code. */
  level?: string | undefined;
  nameEn?: string | undefined;
  /** Layers only: property holding the responsible department's code (部门编码). */
  department?: string | undefined;
  /** Layers only: property holding a responsible unit's name (责任单位) when it is not a department. */
  unit?: string | undefined;
}

export interface ImportFeature {
  /** Position of the feature in the uploaded collection (0-based); every finding names it. */
  index: number;
  /** The code as given (trimmed; numbers become strings); null when missing. */
  code: string | null;
  name: string | null;
  nameEn: string | null;
  parentCode: string | null;
  level: string | null;
  department: string | null;
  unit: string | null;
  /** The geometry with every finite in-range vertex converted to WGS-84; otherwise untouched. */
  geometry: unknown;
}

function text(props: Record<string, unknown>, key: string | undefined): string | null {
  if (!key) return null;
  const v = props[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function convertPosition(p: unknown, crs: Crs): unknown {
  if (!Array.isArray(p) || p.length < 2) return p;
  const [x, y] = p as unknown[];
  if (typeof x !== 'number' || typeof y !== 'number') return p;
  if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) return p;
  return toWgs84([x, y] as Position, crs);
}

/** Walks nested coordinate arrays of any depth, converting each position; leaves malformed parts as they are. */
function convertCoordinates(c: unknown, crs: Crs): unknown {
  if (!Array.isArray(c)) return c;
  if (c.length > 0 && typeof c[0] === 'number') return convertPosition(c, crs);
  return c.map((x) => convertCoordinates(x, crs));
}

export function convertGeometry(geometry: unknown, crs: Crs): unknown {
  if (!isPlainObject(geometry)) return geometry;
  if (crs === 'wgs84') return geometry;
  return { ...geometry, coordinates: convertCoordinates(geometry.coordinates, crs) };
}

/** The feature list of a FeatureCollection, or null when the document is not one. */
export function featuresOf(doc: unknown): unknown[] | null {
  if (!isPlainObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) return null;
  return doc.features;
}

/** The property names of the first feature, for the mapping form (web and CLI). */
export function propertyNamesOf(doc: unknown): string[] {
  const first = featuresOf(doc)?.[0];
  return isPlainObject(first) && isPlainObject(first.properties) ? Object.keys(first.properties) : [];
}

export function normalizeFeatures(features: unknown[], mapping: PropertyMapping, crs: Crs): ImportFeature[] {
  return features.map((f, index) => {
    const props = isPlainObject(f) && isPlainObject(f.properties) ? f.properties : {};
    return {
      index,
      code: text(props, mapping.code),
      name: text(props, mapping.name),
      nameEn: text(props, mapping.nameEn),
      parentCode: text(props, mapping.parentCode),
      level: text(props, mapping.level),
      department: text(props, mapping.department),
      unit: text(props, mapping.unit),
      geometry: isPlainObject(f) ? convertGeometry(f.geometry, crs) : undefined,
    };
  });
}

/** Counts positions in a (possibly malformed) coordinate tree, for the vertex limit. */
export function countPositions(c: unknown): number {
  if (!Array.isArray(c)) return 0;
  if (c.length > 0 && typeof c[0] === 'number') return 1;
  let n = 0;
  for (const x of c) n += countPositions(x);
  return n;
}
