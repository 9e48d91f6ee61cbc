/**
 * Subtle alternating fills for grids: neighbouring grids get different tint indices (0–3) so the unit raster
 * reads at a glance without a basemap. Greedy colouring over "bounding boxes touch" adjacency, which also counts
 * diagonal neighbours: a king-move lattice needs four colours, so four it is (a fifth only for odd layouts).
 */
import type { Feature, FeatureCollection } from 'geojson';
import { bboxesTouch, bboxOfGeometry, type BBox } from './geometry.ts';

export const TINT_COUNT = 4;

/** Tint index per feature, in input order. Deterministic: the same features give the same tints. */
export function assignTints(features: readonly Feature[], epsilon = 1e-7): number[] {
  const boxes: BBox[] = features.map((f) => bboxOfGeometry(f.geometry));
  // Sweep over minLng so each feature only meets the boxes that overlap it in longitude.
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a]![0] - boxes[b]![0] || a - b);
  const neighbours: number[][] = boxes.map(() => []);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const bi = boxes[i]!;
    for (let m = k + 1; m < order.length; m++) {
      const j = order[m]!;
      const bj = boxes[j]!;
      if (bj[0] > bi[2] + epsilon) break;
      if (bboxesTouch(bi, bj, epsilon)) {
        neighbours[i]!.push(j);
        neighbours[j]!.push(i);
      }
    }
  }
  const tints = new Array<number>(features.length).fill(-1);
  for (let i = 0; i < features.length; i++) {
    const used = new Set(neighbours[i]!.map((j) => tints[j]));
    let t = 0;
    while (used.has(t)) t++;
    tints[i] = t;
  }
  return tints;
}

/** A copy of the collection whose features carry `tint` (0..TINT_COUNT-1) in their properties. */
export function withTints<T extends FeatureCollection>(collection: T): T {
  const tints = assignTints(collection.features);
  return {
    ...collection,
    features: collection.features.map((f, i) => ({
      ...f,
      properties: { ...f.properties, tint: tints[i]! % TINT_COUNT },
    })),
  };
}
