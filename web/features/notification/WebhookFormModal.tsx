import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Checkbox, Form, Input, Modal, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { DepartmentSelect } from '../system/DepartmentSelect.tsx';
import { RegionTreeSelect } from '../system/RegionTreeSelect.tsx';
import { webhookEvents, type Webhook, type WebhookEvent } from './notification-api.ts';
import { WebhookSecretModal } from './WebhookSecretModal.tsx';

interface Values {
  name: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  regionCode: string | null;
  departmentId: string | null;
  personalData: boolean;
}

const fields = ['name', 'url', 'events', 'active', 'regionCode', 'departmentId', 'personalData'];

/** Creates an endpoint (then shows its secret once) or edits one. */
export function WebhookFormModal({ editing, onClose }: { editing: Webhook | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const { user } = useAuth();
  const scope = editing?.scope ?? user?.scope;
  const save = useMutation({
    /** The new secret when creating, else null. */
    mutationFn: async (v: Values): Promise<string | null> => {
      const body = {
        name: v.name.trim(),
        url: v.url.trim(),
        events: v.events,
        active: v.active,
        // Neither region nor department: the whole deployment (administrators of the whole deployment only).
        scope: { regionCode: v.regionCode ?? undefined, departmentId: v.departmentId ?? undefined },
        personalData: v.personalData,
      };
      if (editing) {
        await patch<Webhook>(`/api/v1/webhooks/${encodeURIComponent(editing.id)}`, body);
        return null;
      }
      return (await post<Webhook & { secret: string }>('/api/v1/webhooks', body)).secret;
    },
    onSuccess: async (secret) => {
      await queryClient.invalidateQueries({ queryKey: ['webhooks'] });
      if (!secret) onClose();
    },
    onError: (error) => setFormError(applyIssues(form, error, fields) ? null : error),
  });

  if (save.data) return <WebhookSecretModal secret={save.data} onClose={onClose} />;

  return (
    <Modal
      open
      title={editing ? t('webhooks.edit') : t('webhooks.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      width={560}
    >
      <ProblemAlert error={formError} />
      <Alert type="info" showIcon title={t('webhooks.personalDataNote')} style={{ marginBottom: 16 }} />
      <Form<Values>
        form={form}
        name="webhook"
        layout="vertical"
        onValuesChange={(changed) => clearChangedErrors(form, changed)}
        initialValues={{
          ...(editing
            ? { name: editing.name, url: editing.url, events: editing.events, active: editing.active }
            : { events: ['case.replied'], active: true }),
          regionCode: scope?.regionCode ?? null,
          departmentId: scope?.departmentId ?? null,
          personalData: editing?.personalData ?? false,
        }}
        onFinish={(v) => {
          setFormError(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="name"
          label={t('webhooks.name')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('webhooks.url')}
          extra={t('webhooks.urlHint')}
          rules={[
            { required: true, whitespace: true },
            { pattern: /^https?:\/\/\S+$/i, message: t('webhooks.urlInvalid') },
          ]}
        >
          <Input maxLength={2000} placeholder="https://sms-gateway.example.gov.cn/zhizhi" />
        </Form.Item>
        <Form.Item
          name="events"
          label={t('webhooks.events')}
          rules={[{ required: true, type: 'array', min: 1 }]}
        >
          <Checkbox.Group
            options={webhookEvents.map((e) => ({ value: e, label: t(`webhooks.event.${e}`) }))}
          />
        </Form.Item>
        <Form.Item name="regionCode" label={t('webhooks.scopeRegion')} extra={t('webhooks.scopeHint')}>
          <RegionTreeSelect />
        </Form.Item>
        <Form.Item name="departmentId" label={t('webhooks.scopeDepartment')}>
          <DepartmentSelect initialLabel={scope?.departmentName} />
        </Form.Item>
        <Form.Item
          name="personalData"
          label={t('webhooks.personalData')}
          extra={t('webhooks.personalDataHint')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item name="active" label={t('webhooks.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
