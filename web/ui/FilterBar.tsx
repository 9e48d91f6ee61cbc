import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Flex, Form } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Filters } from './use-paged-list.ts';

/** A row of filter fields with Search and Reset, plus room for page actions on the right. */
export function FilterBar({
  onApply,
  children,
  actions,
}: {
  onApply: (filters: Filters) => void;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Filters>();
  return (
    <Flex wrap gap={12} justify="space-between" align="flex-start" style={{ marginBottom: 16 }}>
      <Form
        form={form}
        name="filters"
        layout="inline"
        onFinish={onApply}
        style={{ rowGap: 8, flex: '1 1 auto', minWidth: 0 }}
      >
        {children}
        <Form.Item style={{ marginInlineEnd: 0 }}>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('common.search')}
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                onApply({});
              }}
            >
              {t('common.reset')}
            </Button>
          </Flex>
        </Form.Item>
      </Form>
      {actions}
    </Flex>
  );
}
