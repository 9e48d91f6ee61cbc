import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export function EnabledTag({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  return disabled ? <Tag>{t('common.disabled')}</Tag> : <Tag color="green">{t('common.enabled')}</Tag>;
}
