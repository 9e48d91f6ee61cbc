import { describe, expect, it } from 'vitest';
import { fromWgs84, gcj02ToWgs84, toWgs84, wgs84ToGcj02 } from './crs.ts';

describe('coordinate systems', () => {
  it('GCJ-02 offsets Beijing by a few hundred metres and leaves points outside China alone', () => {
    const [lng, lat] = wgs84ToGcj02([116.391, 39.907]);
    // The published offset near Tiananmen is about +0.0062° lng, +0.0014° lat.
    expect(lng - 116.391).toBeGreaterThan(0.005);
    expect(lng - 116.391).toBeLessThan(0.0075);
    expect(lat - 39.907).toBeGreaterThan(0.0008);
    expect(lat - 39.907).toBeLessThan(0.002);
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85]);
  });

  it('round trips WGS-84 → GCJ-02 / BD-09 → WGS-84 within 1e-8 degrees', () => {
    for (const p of [
      [116.391, 39.907],
      [121.4737, 31.2304],
      [113.2644, 23.1291],
      [104.0665, 30.5723],
    ] as [number, number][]) {
      for (const crs of ['gcj02', 'bd09'] as const) {
        const back = toWgs84(fromWgs84(p, crs), crs);
        expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-8);
        expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-8);
      }
    }
    expect(gcj02ToWgs84(wgs84ToGcj02([116.35, 39.9]))[0]).toBeCloseTo(116.35, 9);
  });

  it('BD-09 is GCJ-02 shifted by about +0.0065° / +0.006°', () => {
    const gcj = wgs84ToGcj02([116.391, 39.907]);
    const bd = fromWgs84([116.391, 39.907], 'bd09');
    expect(bd[0] - gcj[0]).toBeGreaterThan(0.005);
    expect(bd[1] - gcj[1]).toBeGreaterThan(0.004);
  });
});
