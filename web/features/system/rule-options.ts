import { useTranslation } from 'react-i18next';
import { categoryKinds, kindPrefix } from '../../../src/domain/taxonomy/category.ts';
import { useCategories } from '../case/case-api.ts';
import { flatCategories } from '../case/category-options.ts';

/** Category choices for a responsibility rule: a whole kind (BJ/SJ/RX) or any category of the current catalogue. */
export function useRuleCategoryOptions(): { value: string; label: string }[] {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  return [
    ...categoryKinds.map((k) => ({
      value: kindPrefix[k],
      label: `${kindPrefix[k]} · ${t(`case.kind.${k}`)}`,
    })),
    ...flatCategories(categories.data ?? [], i18n.language).map((o) => ({
      value: o.value,
      label: `${o.value} · ${o.label}`,
    })),
  ];
}
