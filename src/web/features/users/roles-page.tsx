import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../server/modules/roles/roles.schemas';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { RoleFormModal } from './components/role-form-modal';
import { usePermissions, useRoles } from './queries';
import { roleName } from './role-name';

type Dialog = { kind: 'create' } | { kind: 'edit'; code: string } | null;

export function RolesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = usePermission();
  const canWrite = can('role.write');
  const roles = useRoles();
  const permissions = usePermissions();
  const [dialog, setDialog] = useState<Dialog>(null);
  const permissionNames = useMemo(
    () => new Map((permissions.data ?? []).map((permission) => [permission.code, roleName(permission, i18n.language)])),
    [permissions.data, i18n.language],
  );

  const columns: TableColumnsType<Role> = [
    { key: 'code', title: t('roles.code'), dataIndex: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
    { key: 'name', title: t('roles.name'), render: (_value, role) => roleName(role, i18n.language) },
    { key: 'scope', title: t('roles.scope'), render: (_value, role) => t(`roles.scopes.${role.scope}`) },
    {
      key: 'permissions',
      title: t('roles.permissions'),
      render: (_value, role) => t('roles.permissionCount', { count: role.permissions.length }),
    },
    {
      key: 'kind',
      title: '',
      render: (_value, role) => (role.builtIn ? <Tag color="blue">{t('roles.builtIn')}</Tag> : <Tag>{t('roles.custom')}</Tag>),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      width: 90,
      render: (_value, role) => (
        <Button size="small" onClick={() => setDialog({ kind: 'edit', code: role.code })}>
          {canWrite && !role.builtIn ? t('common.edit') : t('roles.view')}
        </Button>
      ),
    },
  ];

  if (roles.isError) return <LoadError error={roles.error} onRetry={() => void roles.refetch()} />;
  const dialogRole = dialog?.kind === 'edit' ? roles.data?.find((role) => role.code === dialog.code) : undefined;

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('roles.title')}
        </Typography.Title>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden  />} onClick={() => setDialog({ kind: 'create' })}>
            {t('roles.create')}
          </Button>
        ) : null}
      </Flex>
      <Table<Role>
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={roles.data}
        loading={roles.isPending}
        scroll={{ x: 720 }}
        pagination={false}
        expandable={{
          expandedRowRender: (role) => (
            <Flex gap={4} wrap>
              {role.permissions.map((code) => (
                <Tag key={code} title={code}>
                  {permissionNames.get(code) ?? code}
                </Tag>
              ))}
            </Flex>
          ),
          rowExpandable: (role) => role.permissions.length > 0,
        }}
      />
      {dialog?.kind === 'create' || dialogRole ? (
        <RoleFormModal
          role={dialogRole}
          readOnly={!canWrite || Boolean(dialogRole?.builtIn)}
          onClose={() => setDialog(null)}
          onSaved={() => {
            void message.success(dialogRole ? t('roles.updated') : t('roles.created'));
            setDialog(null);
          }}
        />
      ) : null}
    </Flex>
  );
}
