import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSystemInfo } from '../app/auth.tsx';

/** Shown on every page of a demo deployment so nobody mistakes its data for real records. */
export function DemoBanner() {
  const { t } = useTranslation();
  const info = useSystemInfo();
  if (info.data?.mode !== 'demo') return null;
  return <Alert banner type="warning" title={t('app.demoBanner')} data-testid="demo-banner" />;
}
