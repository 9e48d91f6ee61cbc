/**
 * The one import of polyclip-ts (polygon boolean operations), so that the rest of the module sees plain functions
 * and the library could be swapped in one place.
 *
 * polyclip-ts can fail to close an output ring when two inputs carry points a few nanometres apart (as GCJ-02
 * round trips and independently computed shared vertices do). Each operation therefore retries on inputs
 * snapped to 0.1 mm, then 1 mm, then 1 cm: far below every tolerance the callers use (planar units are metres).
 */
import { difference, intersection, union } from 'polyclip-ts';

export type PlanarRing = [number, number][];
export type MultiPoly = PlanarRing[][];

const SNAPS = [1e4, 1e3, 1e2];

function snapped(m: MultiPoly, scale: number): MultiPoly {
  return m.map((poly) =>
    poly.map((ring) =>
      ring.map(([x, y]): [number, number] => [Math.round(x * scale) / scale, Math.round(y * scale) / scale]),
    ),
  );
}

function robust(op: (first: MultiPoly, ...rest: MultiPoly[]) => MultiPoly, inputs: MultiPoly[]): MultiPoly {
  try {
    return op(inputs[0]!, ...inputs.slice(1));
  } catch (err) {
    for (const scale of SNAPS) {
      const s = inputs.map((m) => snapped(m, scale));
      try {
        return op(s[0]!, ...s.slice(1));
      } catch {
        // try a coarser grid
      }
    }
    throw err;
  }
}

export function intersect(a: MultiPoly, b: MultiPoly): MultiPoly {
  if (a.length === 0 || b.length === 0) return [];
  return robust(intersection, [a, b]);
}

export function unite(first: MultiPoly, ...more: MultiPoly[]): MultiPoly {
  const parts = [first, ...more].filter((m) => m.length > 0);
  if (parts.length === 0) return [];
  return robust(union, parts);
}

export function subtract(a: MultiPoly, ...b: MultiPoly[]): MultiPoly {
  if (a.length === 0) return [];
  const rest = b.filter((m) => m.length > 0);
  return rest.length === 0 ? a : robust(difference, [a, ...rest]);
}
