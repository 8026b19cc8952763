import { SendOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Empty, Flex, List, Popconfirm, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useErrorMessage } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useTabParam } from '../../app/use-tab-param';
import { parseWeekKey } from '../../../domain/notices/week';
import { useNotices, usePublishWeekly, type NoticeKind, type NoticeSummary, type PublishResult } from './queries';

/** 通报: the notice board, weekly notices and the user's own daily digests, unread ones marked. */
export function NoticesPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const describeError = useErrorMessage();
  const [tab, setTab] = useTabParam<NoticeKind>(['weekly', 'daily']);
  const publish = usePublishWeekly();
  const [result, setResult] = useState<PublishResult | null>(null);
  const weekly = useNotices('weekly');
  const daily = useNotices('daily');
  const unread = (rows: NoticeSummary[] | undefined) => (rows ?? []).filter((r) => !r.read).length;

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('notices.title')}
        </Typography.Title>
        {can('supervision.write') ? (
          <Popconfirm
            title={t('notices.publish')}
            description={<div style={{ maxWidth: 320 }}>{t('notices.publishConfirm')}</div>}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => {
              setResult(null);
              publish.mutate(undefined, { onSuccess: setResult });
            }}
          >
            <Button type="primary" icon={<SendOutlined aria-hidden />} loading={publish.isPending}>
              {t('notices.publish')}
            </Button>
          </Popconfirm>
        ) : null}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('notices.intro')}
      </Typography.Paragraph>
      {result ? (
        <Alert
          type={result.published ? 'success' : 'info'}
          showIcon
          closable
          onClose={() => setResult(null)}
          title={
            <span>
              {t(result.published ? 'notices.publishedNew' : 'notices.publishedExisting', { period: result.period })} <Link to={`/notices/${result.notice.id}`}>{t('notices.open')}</Link>
            </span>
          }
        />
      ) : null}
      {publish.error ? <Alert type="error" showIcon role="alert" title={describeError(publish.error)} /> : null}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'weekly', label: <Badge count={unread(weekly.data)} size="small" offset={[8, -2]}>{t('notices.tabs.weekly')}</Badge>, children: <NoticeList query={weekly} empty={t('notices.empty')} /> },
          { key: 'daily', label: <Badge count={unread(daily.data)} size="small" offset={[8, -2]}>{t('notices.tabs.daily')}</Badge>, children: <NoticeList query={daily} empty={t('notices.emptyDaily')} /> },
        ]}
      />
    </Flex>
  );
}

function NoticeList({ query, empty }: { query: ReturnType<typeof useNotices>; empty: string }) {
  const { t } = useTranslation();
  // The title in the reader's language (the stored one is Chinese).
  const titleOf = (n: NoticeSummary) => {
    if (n.kind === 'daily') return `${t('notices.daily.heading')} ${n.period}`;
    const week = parseWeekKey(n.period);
    return week ? t('notices.listTitle', { heading: t('notices.weeklyHeading'), period: n.period, monday: week.monday, sunday: week.sunday }) : n.title;
  };
  if (query.isError) return <LoadError error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <PageSpin />;
  if (query.data.length === 0) {
    return (
      <Card>
        <Empty description={empty} />
      </Card>
    );
  }
  return (
    <Card styles={{ body: { padding: 0 } }}>
      <List<NoticeSummary>
        dataSource={query.data}
        rowKey="id"
        renderItem={(n) => (
          <List.Item style={{ paddingInline: 16 }} actions={[<Link key="open" to={`/notices/${n.id}`}>{t('notices.open')}</Link>]}>
            <List.Item.Meta
              title={
                <Flex gap={8} align="center" wrap>
                  <Link to={`/notices/${n.id}`} style={{ fontWeight: n.read ? 400 : 600 }}>
                    {titleOf(n)}
                  </Link>
                  {n.read ? <Tag>{t('notices.read')}</Tag> : <Tag color="red">{t('notices.unread')}</Tag>}
                </Flex>
              }
              description={
                <span className="num">
                  {t('notices.period')}: {n.period} · {t('notices.publishedAt')}: {formatDateTime(n.publishedAt)}
                </span>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
