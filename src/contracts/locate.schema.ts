import { z } from 'zod';
import { crsNames } from '../domain/geo/crs.ts';
import { regionLevels } from '../domain/region/region-code.ts';

/** A decimal number in a query string, then range-checked (an empty or non-numeric value is an error, not 0). */
const coordinate = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));

export const locateQuerySchema = z.strictObject({
  lng: coordinate(-180, 180),
  lat: coordinate(-90, 90),
  crs: z.enum(crsNames).default('wgs84'),
});

const namedSchema = z.object({ code: z.string(), name: z.string() });

export const locateResultSchema = z.object({
  /** Inside some region or grid of the jurisdiction. */
  inside: z.boolean(),
  /** The point in WGS-84 [lng, lat]. */
  point: z.tuple([z.number(), z.number()]),
  grid: namedSchema.nullable(),
  community: namedSchema.nullable(),
  street: namedSchema.nullable(),
  district: namedSchema.nullable(),
  layers: z.array(
    z.object({
      layerId: z.string(),
      layerCode: z.string(),
      kind: z.string(),
      code: z.string(),
      name: z.string(),
    }),
  ),
  /** Outside the jurisdiction: the nearest region (within the caller's scope) and the distance to it. */
  nearest: z
    .object({ code: z.string(), name: z.string(), level: z.enum(regionLevels), distanceM: z.number() })
    .nullable(),
});
export type LocateResult = z.infer<typeof locateResultSchema>;
