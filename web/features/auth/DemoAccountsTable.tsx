import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DemoAccount } from '../../app/api-types.ts';

export function DemoAccountsTable({
  accounts,
  onPick,
}: {
  accounts: DemoAccount[];
  onPick: (account: DemoAccount) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table<DemoAccount>
      size="small"
      rowKey="username"
      pagination={false}
      dataSource={accounts}
      data-testid="demo-accounts"
      title={() => <Typography.Text strong>{t('login.demoAccounts')}</Typography.Text>}
      scroll={{ x: 'max-content' }}
      onRow={(account) => ({
        onClick: () => onPick(account),
        style: { cursor: 'pointer' },
        'data-testid': `demo-account-${account.username}`,
      })}
      columns={[
        { title: t('users.username'), dataIndex: 'username', render: (v: string) => <code>{v}</code> },
        { title: t('users.role'), dataIndex: 'role', render: (role: string) => t(`role.${role}`) },
        { title: t('users.displayName'), dataIndex: 'displayName' },
        { title: t('login.password'), dataIndex: 'password', render: (v: string) => <code>{v}</code> },
      ]}
    />
  );
}
