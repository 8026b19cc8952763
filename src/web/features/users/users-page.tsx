import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Flex, Input, Table, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../server/modules/users/users.schemas';
import { useErrorMessage } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useUnits } from '../units/queries';
import { unitName } from '../units/unit-tree';
import { ResetPasswordModal } from './components/reset-password-modal';
import { UserFormModal } from './components/user-form-modal';
import { UserRolesModal } from './components/user-roles-modal';
import { useEndUserSessions, useResetUserMfa, useRoles, useUserAction, useUsers } from './queries';
import { roleName } from './role-name';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'roles' | 'reset'; userId: string } | null;
type RowAction = 'edit' | 'roles' | 'disable' | 'enable' | 'unlock' | 'reset' | 'resetMfa' | 'endSessions';

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const canWrite = can('user.write');
  const canSecure = can('user.security');
  const users = useUsers();
  const units = useUnits({ enabled: can('unit.read') });
  const roles = useRoles({ enabled: can('role.read') });
  const userAction = useUserAction();
  const endSessions = useEndUserSessions();
  const resetMfa = useResetUserMfa();
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);

  const unitsById = useMemo(() => new Map((units.data ?? []).map((unit) => [unit.id, unit])), [units.data]);
  const rolesByCode = useMemo(() => new Map((roles.data ?? []).map((role) => [role.code, role])), [roles.data]);
  const rows = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const all = users.data ?? [];
    return needle
      ? all.filter((user) => user.username.includes(needle) || user.displayName.toLowerCase().includes(needle))
      : all;
  }, [users.data, query]);

  const notify = (text: string) => () => void message.success(text);
  const fail = (error: unknown) => void message.error(describeError(error));

  const run = (user: User, action: RowAction) => {
    switch (action) {
      case 'edit':
      case 'roles':
        setDialog({ kind: action, userId: user.id });
        break;
      case 'reset':
        setDialog({ kind: 'reset', userId: user.id });
        break;
      case 'disable':
        void modal.confirm({
          title: t('users.disable'),
          content: t('users.disableConfirm', { name: user.displayName }),
          okText: t('users.disable'),
          okButtonProps: { danger: true },
          cancelText: t('common.cancel'),
          onOk: () =>
            userAction
              .mutateAsync({ id: user.id, action: 'disable', version: user.version })
              .then(notify(t('users.disabled')), fail),
        });
        break;
      case 'enable':
      case 'unlock':
        userAction.mutate(
          { id: user.id, action, version: user.version },
          { onSuccess: notify(action === 'enable' ? t('users.enabled') : t('users.unlocked')), onError: fail },
        );
        break;
      case 'endSessions':
        void modal.confirm({
          title: t('users.endSessions'),
          content: t('users.endSessionsConfirm', { name: user.displayName }),
          okText: t('users.endSessions'),
          okButtonProps: { danger: true },
          cancelText: t('common.cancel'),
          onOk: () => endSessions.mutateAsync(user.id).then(notify(t('users.sessionsEnded')), fail),
        });
        break;
      case 'resetMfa':
        void modal.confirm({
          title: t('users.resetMfa'),
          content: t('users.resetMfaConfirm', { name: user.displayName }),
          okText: t('users.resetMfa'),
          okButtonProps: { danger: true },
          cancelText: t('common.cancel'),
          onOk: () => resetMfa.mutateAsync(user.id).then(notify(t('users.mfaReset')), fail),
        });
        break;
    }
  };

  const actionsFor = (user: User): MenuProps['items'] => {
    const items: NonNullable<MenuProps['items']> = [];
    if (canWrite) items.push({ key: 'edit', label: t('common.edit') });
    if (canSecure) {
      items.push({ key: 'roles', label: t('users.editRoles') });
      if (user.locked) items.push({ key: 'unlock', label: t('users.unlock') });
      items.push(
        user.status === 'active'
          ? { key: 'disable', label: t('users.disable'), danger: true }
          : { key: 'enable', label: t('users.enable') },
      );
      items.push({ key: 'reset', label: t('users.resetPassword'), danger: true });
      if (user.mfaEnrolled) items.push({ key: 'resetMfa', label: t('users.resetMfa'), danger: true });
      items.push({ key: 'endSessions', label: t('users.endSessions'), danger: true });
    }
    return items;
  };

  const columns: TableColumnsType<User> = [
    {
      key: 'username',
      title: t('users.username'),
      dataIndex: 'username',
      render: (username: string) => <Typography.Text strong>{username}</Typography.Text>,
      sorter: (a, b) => a.username.localeCompare(b.username),
    },
    { key: 'displayName', title: t('users.displayName'), dataIndex: 'displayName' },
    {
      key: 'unit',
      title: t('users.unit'),
      render: (_value, user) => {
        if (!user.unitId) return '—';
        const unit = unitsById.get(user.unitId);
        return unit ? unitName(unit, i18n.language) : <Typography.Text code>{user.unitId}</Typography.Text>;
      },
    },
    {
      key: 'roles',
      title: t('users.roles'),
      render: (_value, user) => (
        <Flex gap={4} wrap>
          {user.roleCodes.map((code) => {
            const role = rolesByCode.get(code);
            return <Tag key={code}>{role ? roleName(role, i18n.language) : code}</Tag>;
          })}
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('users.status'),
      render: (_value, user) => (
        <Flex gap={4} wrap>
          {user.status === 'active' ? (
            <Tag color="success">{t('users.statusActive')}</Tag>
          ) : (
            <Tag color="default">{t('users.statusDisabled')}</Tag>
          )}
          {user.locked ? (
            <Tooltip title={user.lockedUntil ? t('users.lockedUntil', { time: formatDateTime(user.lockedUntil) }) : undefined}>
              <Tag color="error">{t('users.locked')}</Tag>
            </Tooltip>
          ) : null}
          {user.mustChangePassword ? <Tag color="warning">{t('users.mustChangePassword')}</Tag> : null}
          {user.mfaEnrolled ? <Tag color="processing">{t('users.mfa')}</Tag> : null}
        </Flex>
      ),
    },
    {
      key: 'lastLogin',
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      render: (at: string | null) => (at ? formatDateTime(at) : t('users.never')),
    },
  ];
  if (canWrite || canSecure) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      width: 100,
      render: (_value, user) => (
        <Dropdown
          trigger={['click']}
          menu={{ items: actionsFor(user), onClick: ({ key }) => run(user, key as RowAction) }}
        >
          <Button size="small">
            {t('common.actions')} <DownOutlined aria-hidden  />
          </Button>
        </Dropdown>
      ),
    });
  }

  if (users.isError) return <LoadError error={users.error} onRetry={() => void users.refetch()} />;
  const dialogUser = dialog && dialog.kind !== 'create' ? users.data?.find((user) => user.id === dialog.userId) : undefined;
  const close = () => setDialog(null);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('users.title')}
      </Typography.Title>
      <Flex gap={8} wrap justify="space-between">
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          aria-label={t('users.searchPlaceholder')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          style={{ maxWidth: 320 }}
        />
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden  />} onClick={() => setDialog({ kind: 'create' })}>
            {t('users.create')}
          </Button>
        ) : null}
      </Flex>
      <Table<User>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={users.isPending}
        scroll={{ x: 960 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
        locale={{ emptyText: t('users.empty') }}
      />
      {dialog?.kind === 'create' || (dialog?.kind === 'edit' && dialogUser) ? (
        <UserFormModal
          user={dialogUser}
          onClose={close}
          onSaved={() => {
            void message.success(dialog.kind === 'create' ? t('users.created') : t('users.updated'));
            close();
          }}
        />
      ) : null}
      {dialog?.kind === 'roles' && dialogUser ? (
        <UserRolesModal
          user={dialogUser}
          onClose={close}
          onSaved={() => {
            void message.success(t('users.rolesUpdated'));
            close();
          }}
        />
      ) : null}
      {dialog?.kind === 'reset' && dialogUser ? (
        <ResetPasswordModal
          user={dialogUser}
          onClose={close}
          onDone={() => {
            void message.success(t('users.passwordReset'));
            close();
          }}
        />
      ) : null}
    </Flex>
  );
}
