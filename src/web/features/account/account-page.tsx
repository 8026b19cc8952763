import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Flex, Popconfirm, Radio, Row, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SessionItem } from '../../../server/modules/auth/auth.schemas';
import { useErrorMessage } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { isLocale, localeLabels } from '../../app/i18n';
import { useSwitchLocale } from '../../app/locale';
import { useMe } from '../../app/session';
import { MfaSettings } from '../auth/components/mfa-settings';
import { PasswordForm } from '../auth/components/password-form';
import { mySessionsQueryKey, useEndMySession, useMySessions } from './queries';

export function AccountPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const queryClient = useQueryClient();
  const me = useMe();
  const sessions = useMySessions();
  const endSession = useEndMySession();
  const { switchLocale, pending: localePending } = useSwitchLocale();

  const columns: TableColumnsType<SessionItem> = [
    {
      key: 'createdAt',
      title: t('account.createdAt'),
      dataIndex: 'createdAt',
      render: (at: string, session) => (
        <Flex gap={6} wrap align="center">
          {formatDateTime(at)}
          {session.current ? <Tag color="processing">{t('account.current')}</Tag> : null}
        </Flex>
      ),
    },
    { key: 'lastSeenAt', title: t('account.lastSeenAt'), dataIndex: 'lastSeenAt', render: (at: string) => formatDateTime(at) },
    { key: 'expiresAt', title: t('account.expiresAt'), dataIndex: 'expiresAt', render: (at: string) => formatDateTime(at) },
    { key: 'ip', title: t('account.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
    {
      key: 'userAgent',
      title: t('account.userAgent'),
      dataIndex: 'userAgent',
      ellipsis: true,
      render: (agent: string | null) => <span title={agent ?? undefined}>{agent ?? '—'}</span>,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      render: (_value, session) =>
        session.current ? null : (
          <Popconfirm
            title={t('account.endSessionConfirm')}
            okText={t('account.endSession')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              endSession.mutate(session.id, {
                onSuccess: () => void message.success(t('account.sessionEnded')),
                onError: (error) => void message.error(describeError(error)),
              })
            }
          >
            <Button size="small" danger>
              {t('account.endSession')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('account.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('account.profile')} style={{ height: '100%' }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'username', label: t('account.username'), children: me.username },
                { key: 'displayName', label: t('account.displayName'), children: me.displayName },
                { key: 'unit', label: t('account.unit'), children: me.unitCode ?? '—' },
                {
                  key: 'roles',
                  label: t('account.roles'),
                  children: (
                    <Flex gap={4} wrap>
                      {me.roles.map((role) => (
                        <Tag key={role.code}>
                          {role.code} · {t(`roles.scopes.${role.scope}`)}
                        </Tag>
                      ))}
                    </Flex>
                  ),
                },
              ]}
            />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('account.language')}
            </Typography.Title>
            <Radio.Group
              aria-label={t('account.language')}
              value={i18n.language}
              disabled={localePending}
              onChange={(event) => {
                const locale: unknown = event.target.value;
                if (isLocale(locale)) switchLocale(locale);
              }}
              options={Object.entries(localeLabels).map(([value, label]) => ({ value, label }))}
              optionType="button"
            />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('account.languageHint')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('account.changePassword')} style={{ height: '100%' }}>
            <PasswordForm
              username={me.username}
              onChanged={() => {
                void message.success(t('auth.passwordChanged'));
                void queryClient.invalidateQueries({ queryKey: mySessionsQueryKey });
              }}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('auth.mfaTitle')}>
        <MfaSettings
          me={me}
          onChanged={(done) => void message.success(t(done === 'enrolled' ? 'auth.mfaEnrolled' : 'auth.mfaDisabledDone'))}
        />
      </Card>
      <Card size="small" title={t('account.sessions')}>
        <Typography.Paragraph type="secondary">{t('account.sessionsHint')}</Typography.Paragraph>
        <Table<SessionItem>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={sessions.data}
          loading={sessions.isPending}
          scroll={{ x: 860 }}
          pagination={false}
          locale={sessions.error ? { emptyText: describeError(sessions.error) } : undefined}
        />
      </Card>
    </Flex>
  );
}
