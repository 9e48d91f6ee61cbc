import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, type Language } from '../i18n/index.ts';

export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  return (
    <Segmented<Language>
      data-testid="lang-switch"
      aria-label={t('lang.switch')}
      size={size}
      value={currentLanguage()}
      onChange={(value) => void setLanguage(value)}
      options={[
        { label: t('lang.zh'), value: 'zh-CN' },
        { label: t('lang.en'), value: 'en' },
      ]}
    />
  );
}
