/**
 * Statistical division codes (product.md, "Codes"): 12 digits = county 6 (GB/T 2260: province 2 + city 2 +
 * county 2) + street/town 3 + community/village 3. Unit grids add a 3-digit sequence (15 digits); a legacy
 * 14-digit variant uses a 2-digit sequence.
 */
export const regionLevels = ['province', 'city', 'district', 'street', 'community'] as const;
export type RegionLevel = (typeof regionLevels)[number];

const REGION_CODE = /^\d{12}$/;

export function isRegionCode(code: string): boolean {
  return REGION_CODE.test(code);
}

/** The level a well-formed 12-digit code denotes, from which of its segments are non-zero. */
export function levelOfCode(code: string): RegionLevel | null {
  if (!isRegionCode(code)) return null;
  if (code.slice(0, 2) === '00') return null;
  const city = code.slice(2, 4);
  const county = code.slice(4, 6);
  const street = code.slice(6, 9);
  const community = code.slice(9, 12);
  if (community !== '000') return street === '000' ? null : 'community';
  if (street !== '000') return county === '00' ? null : 'street';
  if (county !== '00') return city === '00' ? null : 'district';
  if (city !== '00') return 'city';
  return 'province';
}

/** The prefix every descendant's code shares. */
export function codePrefix(code: string, level: RegionLevel): string {
  const len = { province: 2, city: 4, district: 6, street: 9, community: 12 }[level];
  return code.slice(0, len);
}

/** The code of the region one level up, or null for a province. */
export function parentCodeOf(code: string): string | null {
  const level = levelOfCode(code);
  switch (level) {
    case 'community':
      return code.slice(0, 9) + '000';
    case 'street':
      return code.slice(0, 6) + '000000';
    case 'district':
      return code.slice(0, 4) + '00000000';
    case 'city':
      return code.slice(0, 2) + '0000000000';
    default:
      return null;
  }
}

export function childLevelOf(level: RegionLevel): RegionLevel | null {
  const i = regionLevels.indexOf(level);
  return regionLevels[i + 1] ?? null;
}

/** 15-digit unit grid code: community code + 3-digit sequence (001–999). */
export function gridCode(communityCode: string, sequence: number): string {
  if (!isRegionCode(communityCode) || levelOfCode(communityCode) !== 'community') {
    throw new RangeError(`not a community code: ${communityCode}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999)
    throw new RangeError(`bad sequence ${sequence}`);
  return communityCode + String(sequence).padStart(3, '0');
}

export function isGridCode(code: string): boolean {
  return /^\d{15}$/.test(code) && levelOfCode(code.slice(0, 12)) === 'community' && code.slice(12) !== '000';
}
