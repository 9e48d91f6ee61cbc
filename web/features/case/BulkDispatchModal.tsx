import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Result, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkItemResult } from '../../../src/contracts/case-bulk.schema.ts';
import { post } from '../../app/api.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { useDepartmentOptions } from './CaseActionModal.tsx';
import { caseKeys, type CaseSummary } from './case-api.ts';

const SUGGESTED = '__suggested__';

interface BulkResult {
  succeeded: number;
  failed: number;
  items: BulkItemResult[];
}

/**
 * 批量派遣: dispatches the selected cases to one department, or each to its own suggested department (建议派遣部门),
 * every case in its own transaction; then shows which went and why the others did not.
 */
export function BulkDispatchModal({
  cases,
  onClose,
  onDone,
}: {
  cases: readonly CaseSummary[];
  onClose: () => void;
  /** Called with the ids that were dispatched. */
  onDone: (dispatched: string[]) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const departments = useDepartmentOptions(true);
  const [department, setDepartment] = useState<string>(SUGGESTED);
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<BulkResult | null>(null);

  const run = useMutation({
    mutationFn: () =>
      post<BulkResult>('/api/v1/cases/bulk-events', {
        event: 'dispatch',
        items: cases.map((c) => ({ caseId: c.id, expectedVersion: c.version })),
        ...(department === SUGGESTED ? { useSuggested: true } : { departmentIds: [department] }),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    onSuccess: async (r) => {
      setResult(r);
      onDone(r.items.filter((i) => i.ok).map((i) => i.caseId));
      await queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
  });

  const codeOf = new Map(cases.map((c) => [c.id, c.code]));
  const failures = result?.items.filter((i) => !i.ok) ?? [];

  return (
    <Modal
      open
      title={t('bulk.title')}
      onCancel={onClose}
      onOk={() => (result ? onClose() : run.mutate())}
      okText={result ? t('common.close') : t('bulk.submit')}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ style: result ? { display: 'none' } : undefined }}
      confirmLoading={run.isPending}
      width={640}
      data-testid="bulk-dispatch-modal"
    >
      {result ? (
        <>
          <Result
            status={result.failed === 0 ? 'success' : result.succeeded === 0 ? 'error' : 'warning'}
            title={t('bulk.result', { ok: result.succeeded, failed: result.failed })}
            style={{ padding: '12px 0' }}
          />
          {failures.length > 0 && (
            <Table<BulkItemResult>
              size="small"
              rowKey="caseId"
              pagination={false}
              dataSource={failures}
              data-testid="bulk-failures"
              columns={[
                {
                  title: t('case.field.code'),
                  key: 'code',
                  render: (_, i) => <code>{codeOf.get(i.caseId)}</code>,
                },
                { title: t('bulk.reason'), dataIndex: 'error' },
              ]}
            />
          )}
        </>
      ) : (
        <>
          <Typography.Paragraph>{t('bulk.count', { count: cases.length })}</Typography.Paragraph>
          <ProblemAlert error={run.error} />
          <Form layout="vertical">
            <Form.Item
              label={t('bulk.department')}
              extra={department === SUGGESTED ? t('bulk.suggestedHint') : undefined}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                value={department}
                onChange={setDepartment}
                loading={departments.loading}
                options={[{ value: SUGGESTED, label: t('bulk.suggested') }, ...departments.options]}
                data-testid="bulk-department"
              />
            </Form.Item>
            <Form.Item label={t('case.action.comment')}>
              <Input.TextArea
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                maxLength={2000}
                autoSize={{ minRows: 2, maxRows: 4 }}
              />
            </Form.Item>
          </Form>
          {cases.length > 200 && <Alert type="warning" showIcon title={t('bulk.tooMany')} />}
        </>
      )}
    </Modal>
  );
}
