import { useTranslation } from 'react-i18next';

/** Date-time formatting in the UI language; empty values render as a dash. */
export function useFormatDateTime(): (value: string | null | undefined) => string {
  const { t, i18n } = useTranslation();
  const formatter = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (value) => {
    if (!value) return t('common.none');
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : formatter.format(date);
  };
}
