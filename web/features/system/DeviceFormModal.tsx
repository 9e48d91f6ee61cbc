import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Col, Form, Input, InputNumber, Modal, Row, Select, Spin, Switch } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceKind, DeviceView, DeviceWithToken } from '../../../src/contracts/device.schema.ts';
import { urgencies, type Urgency } from '../../../src/domain/sla/time-limit.ts';
import { patch, post } from '../../app/api.ts';
import { useCategories } from '../case/case-api.ts';
import { flatCategories } from '../case/category-options.ts';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { deviceKinds, suggestedCategory } from './device-kinds.ts';

const CasePointMap = lazy(() => import('../case/CasePointMap.tsx'));

interface Values {
  code: string;
  name: string;
  kind: DeviceKind;
  categoryCode: string;
  urgency: Urgency;
  lng: number | null;
  lat: number | null;
  disabled: boolean;
}

const fields = ['code', 'name', 'kind', 'categoryCode', 'urgency', 'lng', 'lat', 'disabled'];

// "body.location" (outside the jurisdiction) belongs to the coordinate fields.
function aliasLocation(error: unknown): unknown {
  const problem = (error as { problem?: { issues?: { field: string }[] } } | null)?.problem;
  problem?.issues?.forEach((issue) => {
    if (issue.field.startsWith('body.location')) issue.field = 'lng';
  });
  return error;
}

/** Registers a device (then its token is shown once) or edits one. */
export function DeviceFormModal({
  device,
  onClose,
  onCreated,
}: {
  device: DeviceView | null;
  onClose: () => void;
  onCreated: (created: DeviceWithToken) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  const point: [number, number] | null =
    typeof lng === 'number' && typeof lat === 'number' ? [lng, lat] : null;

  const save = useMutation({
    mutationFn: (v: Values) => {
      const location = { lng: v.lng!, lat: v.lat!, crs: 'wgs84' as const };
      if (!device) {
        return post<DeviceWithToken>('/api/v1/devices', {
          code: v.code.trim(),
          name: v.name.trim(),
          kind: v.kind,
          location,
          categoryCode: v.categoryCode,
          urgency: v.urgency,
        });
      }
      const moved = v.lng !== device.lng || v.lat !== device.lat;
      return patch<DeviceView>(`/api/v1/devices/${encodeURIComponent(device.id)}`, {
        name: v.name.trim(),
        categoryCode: v.categoryCode,
        urgency: v.urgency,
        disabled: v.disabled,
        ...(moved ? { location } : {}),
      });
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['devices'] });
      if (!device) onCreated(saved as DeviceWithToken);
      else {
        void message.success(t('common.saved'));
        onClose();
      }
    },
    onError: (error) => setFormError(applyIssues(form, aliasLocation(error), fields) ? null : error),
  });

  return (
    <Modal
      open
      width={760}
      title={device ? t('devices.edit') : t('devices.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <ProblemAlert error={formError} />
      <Form<Values>
        form={form}
        name="device"
        layout="vertical"
        onValuesChange={(changed: Partial<Values>) => {
          clearChangedErrors(form, changed);
          // A new device of another kind: propose that kind's usual category unless one was picked by hand.
          if (!device && changed.kind && !form.isFieldTouched('categoryCode')) {
            form.setFieldsValue({ categoryCode: suggestedCategory[changed.kind] });
          }
        }}
        initialValues={{
          code: device?.code,
          name: device?.name,
          kind: device?.kind ?? 'waterlogging',
          categoryCode: device?.categoryCode ?? suggestedCategory.waterlogging,
          urgency: device?.urgency ?? 'normal',
          lng: device?.lng ?? null,
          lat: device?.lat ?? null,
          disabled: device?.disabled ?? false,
        }}
        onFinish={(v) => {
          setFormError(null);
          save.mutate(v);
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={11}>
            <Form.Item
              name="code"
              label={t('devices.code')}
              extra={device ? undefined : t('devices.codeHint')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input disabled={Boolean(device)} maxLength={32} data-testid="device-code" />
            </Form.Item>
            <Form.Item name="name" label={t('devices.name')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={64} data-testid="device-name" />
            </Form.Item>
            <Form.Item name="kind" label={t('devices.kind')} rules={[{ required: true }]}>
              <Select
                disabled={Boolean(device)}
                options={deviceKinds.map((k) => ({ value: k, label: t(`devices.kinds.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="categoryCode" label={t('devices.category')} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={categories.isPending}
                options={flatCategories(categories.data ?? [], i18n.language).map((c) => ({
                  value: c.value,
                  label: `${c.label}（${c.value}）`,
                }))}
              />
            </Form.Item>
            <Form.Item name="urgency" label={t('devices.urgency')} rules={[{ required: true }]}>
              <Select options={urgencies.map((u) => ({ value: u, label: t(`case.urgency.${u}`) }))} />
            </Form.Item>
            {device && (
              <Form.Item name="disabled" label={t('common.disabled')} valuePropName="checked">
                <Switch />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} md={13}>
            <Form.Item label={t('devices.location')} required extra={t('devices.locationHint')}>
              <Suspense fallback={<Spin />}>
                <CasePointMap
                  value={point}
                  height={240}
                  onPick={([x, y]) => {
                    const round = (n: number) => Math.round(n * 1e6) / 1e6;
                    form.setFieldsValue({ lng: round(x), lat: round(y) });
                    clearChangedErrors(form, { lng: true, lat: true });
                  }}
                />
              </Suspense>
            </Form.Item>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="lng" label={t('devices.lng')} rules={[{ required: true }]}>
                  <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="lat" label={t('devices.lat')} rules={[{ required: true }]}>
                  <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
