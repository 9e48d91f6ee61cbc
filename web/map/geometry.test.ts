import { describe, expect, it } from 'vitest';
import { formatArea } from './format.ts';
import { bboxOfFeatures, ensureSpan, labelPoint, unionBBox, emptyBBox } from './geometry.ts';

const ring = [
  [0, 0],
  [4, 0],
  [4, 2],
  [0, 2],
  [0, 0],
];

describe('geometry helpers', () => {
  it('puts a label at the centroid, of the largest part for a multipolygon', () => {
    expect(labelPoint({ type: 'Polygon', coordinates: [ring] })).toEqual([2, 1]);
    const small = ring.map(([x, y]) => [x! / 10 + 10, y! / 10 + 10]);
    expect(labelPoint({ type: 'MultiPolygon', coordinates: [[small], [ring]] })).toEqual([2, 1]);
    expect(labelPoint(null)).toBeNull();
  });

  it('computes and merges bounding boxes', () => {
    const b = bboxOfFeatures([
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } },
    ]);
    expect(b).toEqual([0, 0, 4, 2]);
    expect(unionBBox(emptyBBox(), b)).toEqual(b);
    expect(unionBBox(b, [-1, 1, 2, 5])).toEqual([-1, 0, 4, 5]);
    expect(ensureSpan([1, 1, 1, 1], 0.002)).toEqual([0.999, 0.999, 1.001, 1.001]);
  });
});

describe('formatArea', () => {
  it('formats square metres in the UI language, adding km² for large areas', () => {
    expect(formatArea(10234.56, 'zh-CN')).toBe('10,235 m²');
    expect(formatArea(9_720_000, 'en')).toBe('9,720,000 m² (9.72 km²)');
    expect(formatArea(null, 'en')).toBe('—');
  });
});
