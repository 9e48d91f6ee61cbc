import { sql, type Kysely, type SqlBool } from 'kysely';
import type { FeatureCollectionView } from '../../contracts/spatial.schema.ts';
import type { Category } from '../../domain/taxonomy/category.ts';
import { spatialRepository } from '../../db/repositories/spatial.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { LocateService } from '../spatial/locate.service.ts';
import type { CategoryService } from '../taxonomy/category.service.ts';

interface PublicNode {
  code: string;
  kind: string;
  name: string;
  nameEn: string | null;
}

const node = (c: Category): PublicNode => ({ code: c.code, kind: c.kind, name: c.nameZh, nameEn: c.nameEn });

/**
 * What the public report form needs to draw itself without an account: the active categories (names only, no
 * routing or time limits), community outlines for the map, and whether a pin lies inside the jurisdiction.
 */
export function createPublicGeoService(deps: {
  db: Kysely<DB>;
  categories: CategoryService;
  locate: LocateService;
}) {
  const { db, categories, locate } = deps;
  return {
    async categories() {
      const v = await categories.current();
      const active = v.categories.filter((c) => c.active);
      const childrenOf = new Map<string | null, Category[]>();
      for (const c of active) childrenOf.set(c.parentCode, [...(childrenOf.get(c.parentCode) ?? []), c]);
      const items = (childrenOf.get(null) ?? []).map((major) => ({
        ...node(major),
        children: (childrenOf.get(major.code) ?? []).map((minor) => ({
          ...node(minor),
          children: (childrenOf.get(minor.code) ?? []).map(node),
        })),
      }));
      return { version: v.number, items };
    },

    async communities(): Promise<FeatureCollectionView> {
      const rows = await spatialRepository.listRegions(db, { level: 'community', scope: sql<SqlBool>`true` });
      return {
        type: 'FeatureCollection',
        features: rows
          .filter((r) => r.geometry !== null)
          .map((r) => ({
            type: 'Feature' as const,
            id: r.code,
            properties: { code: r.code, name: r.name, nameEn: r.name_en, level: r.level },
            geometry: r.geometry,
          })),
      };
    },

    async locate(lng: number, lat: number) {
      const [r] = await locate.locateMany([{ lng, lat }]);
      return {
        inside: Boolean(r?.inside && (r.community || r.street)),
        streetName: r?.inside ? (r.street?.name ?? null) : null,
        communityName: r?.inside ? (r.community?.name ?? null) : null,
      };
    },
  };
}

export type PublicGeoService = ReturnType<typeof createPublicGeoService>;
