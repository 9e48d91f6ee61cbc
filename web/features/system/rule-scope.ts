import { codePrefix, levelOfCode } from '../../../src/domain/region/region-code.ts';

/**
 * Whether the user may change a responsibility rule (the server decides the same way): a rule for everywhere
 * (`regionCode` '') only with a scope covering the whole deployment; a rule for a region only inside the user's
 * own region subtree. A department-only scope writes none.
 */
export function canWriteRule(
  user: { systemWide: boolean; scope: { regionCode: string | null } },
  ruleRegionCode: string,
): boolean {
  if (user.systemWide) return true;
  const own = user.scope.regionCode;
  if (!own || !ruleRegionCode) return false;
  const level = levelOfCode(own);
  return ruleRegionCode.startsWith(level ? codePrefix(own, level) : own);
}
