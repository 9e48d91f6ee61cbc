import { EditOutlined, KeyOutlined, PlusOutlined, PoweroffOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceView, DeviceWithToken } from '../../../src/contracts/device.schema.ts';
import { patch, post } from '../../app/api.ts';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import { EnabledTag } from '../../ui/StatusTag.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';
import { deviceKinds } from './device-kinds.ts';
import { DeviceFormModal } from './DeviceFormModal.tsx';
import { DeviceTokenModal } from './DeviceTokenModal.tsx';

/** Sensors (感知设备): register, edit, disable, and issue a new token. */
export default function DevicesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const formatDate = useFormatDateTime();
  const queryClient = useQueryClient();
  const list = usePagedList<DeviceView>('devices', '/api/v1/devices');
  const [editing, setEditing] = useState<DeviceView | 'new' | null>(null);
  const [shown, setShown] = useState<DeviceWithToken | null>(null);

  const toggle = useMutation({
    mutationFn: (d: DeviceView) =>
      patch<DeviceView>(`/api/v1/devices/${encodeURIComponent(d.id)}`, { disabled: !d.disabled }),
    onSuccess: async (d) => {
      void message.success(d.disabled ? t('devices.disabledDone') : t('devices.enabledDone'));
      await queryClient.invalidateQueries({ queryKey: ['devices'] });
    },
    onError: (error) => void message.error(errorMessage(error)),
  });
  const rotate = useMutation({
    mutationFn: (d: DeviceView) => post<DeviceWithToken>(`/api/v1/devices/${encodeURIComponent(d.id)}/token`),
    onSuccess: async (d) => {
      setShown(d);
      await queryClient.invalidateQueries({ queryKey: ['devices'] });
    },
    onError: (error) => void message.error(errorMessage(error)),
  });

  return (
    <div data-testid="page-system-devices">
      <FilterBar
        onApply={list.applyFilters}
        actions={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="device-create"
          >
            {t('devices.create')}
          </Button>
        }
      >
        <Form.Item name="q">
          <Input allowClear placeholder={t('devices.searchPlaceholder')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('devices.kind')}
            style={{ width: 140 }}
            options={deviceKinds.map((k) => ({ value: k, label: t(`devices.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="regionCode" rules={[{ pattern: /^\d{1,12}$/, message: t('regions.codeInvalid') }]}>
          <Input allowClear placeholder={t('devices.regionPlaceholder')} style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="disabled">
          <Select
            allowClear
            placeholder={t('devices.status')}
            style={{ width: 110 }}
            options={[
              { value: 'false', label: t('common.enabled') },
              { value: 'true', label: t('common.disabled') },
            ]}
          />
        </Form.Item>
      </FilterBar>
      <ProblemAlert error={list.query.error} />
      <Table<DeviceView>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('devices.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
          { title: t('devices.name'), dataIndex: 'name' },
          {
            title: t('devices.kind'),
            dataIndex: 'kind',
            render: (v: string) => <Tag>{t(`devices.kinds.${v}`, { defaultValue: v })}</Tag>,
          },
          {
            title: t('devices.region'),
            key: 'region',
            render: (_, d) => <span title={d.gridCode ?? d.regionCode}>{d.regionName ?? d.regionCode}</span>,
          },
          {
            title: t('devices.category'),
            key: 'category',
            render: (_, d) => (
              <span>
                {d.categoryName ?? d.categoryCode} · {t(`case.urgency.${d.urgency}`)}
              </span>
            ),
          },
          {
            title: t('devices.tokenPrefix'),
            dataIndex: 'tokenPrefix',
            render: (v: string) => <code>{v}…</code>,
          },
          {
            title: t('devices.status'),
            dataIndex: 'disabled',
            render: (v: boolean) => <EnabledTag disabled={v} />,
          },
          {
            title: t('devices.lastSeenAt'),
            dataIndex: 'lastSeenAt',
            render: (v: string | null) => (v ? formatDate(v) : t('devices.never')),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) => (
              <Space size={0} wrap>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(d)}>
                  {t('common.edit')}
                </Button>
                {d.disabled ? (
                  <Button
                    type="link"
                    size="small"
                    icon={<PoweroffOutlined />}
                    onClick={() => toggle.mutate(d)}
                  >
                    {t('devices.enable')}
                  </Button>
                ) : (
                  <Popconfirm
                    title={t('devices.disableConfirm', { code: d.code })}
                    onConfirm={() => toggle.mutate(d)}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                  >
                    <Button type="link" size="small" danger icon={<PoweroffOutlined />}>
                      {t('devices.disable')}
                    </Button>
                  </Popconfirm>
                )}
                <Popconfirm
                  title={t('devices.rotateConfirm', { code: d.code })}
                  onConfirm={() => rotate.mutate(d)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Button type="link" size="small" icon={<KeyOutlined />}>
                    {t('devices.rotate')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <DeviceFormModal
          device={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onCreated={(created) => {
            setEditing(null);
            setShown(created);
          }}
        />
      )}
      {shown && <DeviceTokenModal device={shown} onClose={() => setShown(null)} />}
    </div>
  );
}
