/**
 * Chinese map coordinate systems. GPS gives WGS-84; Amap and Tencent use GCJ-02 (an obfuscated offset of WGS-84
 * inside mainland China); Baidu uses BD-09 (a further rotation of GCJ-02). Zhizhi stores WGS-84 and converts on
 * input. The GCJ-02 offset has no closed-form inverse: `gcj02ToWgs84` iterates the forward transform until the
 * round trip is within 1e-9 degrees (well under a millimetre), which is exact enough for governance data.
 */
import type { Position } from './geometry.ts';

export const crsNames = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof crsNames)[number];

const A = 6378245.0; // Krasovsky 1940 semi-major axis used by GCJ-02
const EE = 0.006693421622965943; // its eccentricity squared (0.00669342162296594323 to double precision)
const X_PI = (Math.PI * 3000.0) / 180.0;

/** GCJ-02 leaves coordinates outside mainland China unchanged (the same rough box every implementation uses). */
export function outOfChina(lng: number, lat: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

export function wgs84ToGcj02([lng, lat]: Position): Position {
  if (outOfChina(lng, lat)) return [lng, lat];
  let dLat = transformLat(lng - 105.0, lat - 35.0);
  let dLng = transformLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

export function gcj02ToWgs84([lng, lat]: Position): Position {
  if (outOfChina(lng, lat)) return [lng, lat];
  let guess: Position = [lng, lat];
  for (let i = 0; i < 30; i++) {
    const [gLng, gLat] = wgs84ToGcj02(guess);
    const dLng = gLng - lng;
    const dLat = gLat - lat;
    guess = [guess[0] - dLng, guess[1] - dLat];
    if (Math.abs(dLng) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return guess;
}

export function gcj02ToBd09([lng, lat]: Position): Position {
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** The usual closed-form inverse is off by ~1e-7°; a few fixed-point steps on the forward transform remove that. */
export function bd09ToGcj02([lng, lat]: Position): Position {
  const x = lng - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  let guess: Position = [z * Math.cos(theta), z * Math.sin(theta)];
  for (let i = 0; i < 10; i++) {
    const [bLng, bLat] = gcj02ToBd09(guess);
    const dLng = bLng - lng;
    const dLat = bLat - lat;
    guess = [guess[0] - dLng, guess[1] - dLat];
    if (Math.abs(dLng) < 1e-11 && Math.abs(dLat) < 1e-11) break;
  }
  return guess;
}

export function toWgs84(p: Position, from: Crs): Position {
  switch (from) {
    case 'wgs84':
      return p;
    case 'gcj02':
      return gcj02ToWgs84(p);
    case 'bd09':
      return gcj02ToWgs84(bd09ToGcj02(p));
  }
}

export function fromWgs84(p: Position, to: Crs): Position {
  switch (to) {
    case 'wgs84':
      return p;
    case 'gcj02':
      return wgs84ToGcj02(p);
    case 'bd09':
      return gcj02ToBd09(wgs84ToGcj02(p));
  }
}
