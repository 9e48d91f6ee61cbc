import { useTranslation } from 'react-i18next';
import type { Notification } from '../../../src/contracts/notification.schema.ts';

/**
 * A notification's title and body in the UI language, from its kind and data (the server stores a Chinese text
 * too, used when the data lacks something).
 */
export function useNotificationText(): (n: Notification) => { title: string; body: string } {
  const { t } = useTranslation();
  return (n) => {
    const d = n.data as Record<string, string | boolean | null | undefined>;
    if (typeof d.code !== 'string') return { title: n.title, body: n.body };
    const title = t(`notification.subject.${n.kind}`, { code: d.code, defaultValue: n.title });
    const caseTitle = typeof d.caseTitle === 'string' ? d.caseTitle : '';
    switch (n.kind) {
      case 'assignment':
        return { title, body: [caseTitle, d.departmentName].filter(Boolean).join(' · ') };
      case 'overdue':
        return {
          title,
          body: t('notification.body.overdue', {
            title: caseTitle,
            stage: t(`case.stage.${String(d.stage)}`, { defaultValue: String(d.stage ?? '') }),
          }),
        };
      case 'reply': {
        const parts = [
          t(`case.satisfaction.${String(d.satisfaction)}`, { defaultValue: String(d.satisfaction ?? '') }),
          t(d.resolved ? 'notification.body.resolved' : 'notification.body.unresolved'),
        ];
        if (d.via) parts.push(t('notification.body.via', { code: d.via }));
        return { title, body: parts.join(' · ') };
      }
      case 'supervise':
        return { title, body: typeof d.instruction === 'string' ? d.instruction : n.body };
      case 'merged':
        return { title, body: t('notification.body.merged', { code: d.masterCode ?? '' }) };
      default:
        return { title: n.title, body: n.body };
    }
  };
}
