import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { canWriteRule } from './rule-scope.ts';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';
import { useDepartmentOptions } from '../case/CaseActionModal.tsx';
import { RegionTreeSelect } from './RegionTreeSelect.tsx';
import { RuleFormModal } from './RuleFormModal.tsx';
import { RulePreview } from './RulePreview.tsx';
import { useRuleCategoryOptions } from './rule-options.ts';
import { taxonomyKeys, type ResponsibilityRuleView } from './taxonomy-api.ts';

const basisColor = { owner: 'purple', territory: 'green', district_fallback: 'default' } as const;

/** 责任清单: category × region → department, the candidates for each new case's suggested department. */
export default function ResponsibilityPage() {
  const { t } = useTranslation();
  const { can, user } = useAuth();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const list = usePagedList<ResponsibilityRuleView>(taxonomyKeys.rules[0], '/api/v1/responsibility-rules');
  const [editing, setEditing] = useState<ResponsibilityRuleView | 'new' | null>(null);
  const canManage = can('catalogue.manage');
  // A scoped administrator writes rules inside their region only (the server refuses the rest).
  const canCreate = canManage && user !== null && (user.systemWide || user.scope.regionCode !== null);
  const writable = (r: ResponsibilityRuleView) => user !== null && canWriteRule(user, r.regionCode);
  const categoryOptions = useRuleCategoryOptions();
  const departments = useDepartmentOptions(true);

  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/responsibility-rules/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      void message.success(t('responsibility.deleted'));
      await queryClient.invalidateQueries({ queryKey: taxonomyKeys.rules });
    },
    onError: (e) => void message.error(errorMessage(e)),
  });

  return (
    <div data-testid="page-system-responsibility">
      <FilterBar
        onApply={list.applyFilters}
        actions={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('responsibility.create')}
            </Button>
          )
        }
      >
        <Form.Item name="categoryCode">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('responsibility.category')}
            style={{ width: 200 }}
            popupMatchSelectWidth={false}
            options={categoryOptions}
          />
        </Form.Item>
        <Form.Item name="regionCode" style={{ width: 200 }}>
          <RegionTreeSelect />
        </Form.Item>
        <Form.Item name="departmentId">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('responsibility.department')}
            style={{ width: 200 }}
            options={departments.options}
          />
        </Form.Item>
      </FilterBar>
      <ProblemAlert error={list.query.error} />
      <Table<ResponsibilityRuleView>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('responsibility.category'),
            key: 'category',
            render: (_, r) =>
              r.categoryCode ? (
                <>
                  <code>{r.categoryCode}</code> {r.categoryName ?? ''}
                </>
              ) : (
                <Typography.Text type="secondary">{t('responsibility.allCategories')}</Typography.Text>
              ),
          },
          {
            title: t('responsibility.region'),
            key: 'region',
            render: (_, r) =>
              r.regionCode ? (
                (r.regionName ?? r.regionCode)
              ) : (
                <Typography.Text type="secondary">{t('responsibility.everywhere')}</Typography.Text>
              ),
          },
          {
            title: t('responsibility.department'),
            key: 'department',
            render: (_, r) => (
              <Space>
                {r.departmentName}
                {r.departmentDisabled && <Tag>{t('common.disabled')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('responsibility.basis'),
            dataIndex: 'basis',
            render: (b: ResponsibilityRuleView['basis']) => (
              <Tag color={basisColor[b]}>{t(`responsibility.bases.${b}`)}</Tag>
            ),
          },
          { title: t('responsibility.priority'), dataIndex: 'priority' },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, r: ResponsibilityRuleView) =>
                    writable(r) && (
                      <Space size={0}>
                        <Button
                          type="link"
                          size="small"
                          icon={<EditOutlined />}
                          onClick={() => setEditing(r)}
                        >
                          {t('common.edit')}
                        </Button>
                        <Popconfirm
                          title={t('responsibility.deleteConfirm')}
                          okText={t('common.ok')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => remove.mutate(r.id)}
                        >
                          <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                            {t('responsibility.delete')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <div style={{ marginTop: 16 }}>
        <RulePreview />
      </div>
      {editing && (
        <RuleFormModal rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}
