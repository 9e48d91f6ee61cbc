import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeviceWithToken } from '../../../src/contracts/device.schema.ts';
import { secretStyle } from '../../ui/problem.tsx';

/** Shows a device's token the one time it exists in clear (after create or rotation). */
export function DeviceTokenModal({ device, onClose }: { device: DeviceWithToken; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={`${t('devices.tokenTitle')} · ${device.code}`}
      onCancel={onClose}
      onOk={onClose}
      okText={t('common.close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      maskClosable={false}
    >
      <Alert type="warning" showIcon title={t('devices.tokenNote')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph
        copyable={{ text: device.token, tooltips: [t('common.copy'), t('common.copied')] }}
        data-testid="device-token"
        style={secretStyle}
      >
        {device.token}
      </Typography.Paragraph>
    </Modal>
  );
}
