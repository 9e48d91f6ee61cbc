import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { secretStyle } from '../../ui/problem.tsx';

/** Shows a webhook's signing secret, the only time it is shown. */
export function WebhookSecretModal({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('webhooks.secretTitle')}
      onCancel={onClose}
      onOk={onClose}
      okText={t('common.close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      maskClosable={false}
    >
      <Alert type="warning" showIcon title={t('webhooks.secretNote')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph
        copyable={{ text: secret, tooltips: [t('common.copy'), t('common.copied')] }}
        data-testid="webhook-secret"
        style={secretStyle}
      >
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}
