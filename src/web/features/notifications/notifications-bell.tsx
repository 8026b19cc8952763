import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, Popover, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { useNotifications, useReadAllNotifications, useReadNotification, type Notification } from './queries';

/** The bell in the header: the unread count, and a dropdown of the latest notifications whose links navigate. */
export function NotificationsBell() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const can = usePermission();
  const [open, setOpen] = useState(false);
  const notifications = useNotifications();
  const readOne = useReadNotification();
  const readAll = useReadAllNotifications();
  const unread = notifications.data?.unread ?? 0;

  const follow = (n: Notification) => {
    if (!n.readAt) readOne.mutate(n.id);
    setOpen(false);
    if (n.link?.startsWith('/')) void navigate(n.link);
  };

  const content = (
    <Flex vertical gap={8} style={{ width: 'min(360px, calc(100vw - 32px))' }}>
      <Flex justify="space-between" align="center">
        <Typography.Text strong>{t('notices.bell.label')}</Typography.Text>
        <Button size="small" type="link" disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()}>
          {t('notices.bell.readAll')}
        </Button>
      </Flex>
      {notifications.data && notifications.data.rows.length > 0 ? (
        // A plain list (antd's List would bring its pagination to every page, issue 9).
        <ul className="bell-list" style={{ maxHeight: 360 }}>
          {notifications.data.rows.map((n) => (
            <li
              key={n.id}
              onClick={() => follow(n)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  follow(n);
                }
              }}
              role="button"
              tabIndex={0}
              style={{ background: n.readAt ? undefined : token.colorPrimaryBg, borderBlockEndColor: token.colorSplit }}
            >
              <Flex vertical style={{ minWidth: 0 }}>
                <Typography.Text strong={!n.readAt} ellipsis>
                  {n.title}
                </Typography.Text>
                {n.body ? (
                  <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
                    {n.body}
                  </Typography.Text>
                ) : null}
                <Typography.Text type="secondary" className="num" style={{ fontSize: token.fontSizeSM }}>
                  {formatDateTime(n.createdAt)}
                </Typography.Text>
              </Flex>
            </li>
          ))}
        </ul>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notices.bell.empty')} />
      )}
      {can('problem.read') ? (
        <Button
          block
          onClick={() => {
            setOpen(false);
            void navigate('/notices');
          }}
        >
          {t('notices.bell.viewNotices')}
        </Button>
      ) : null}
    </Flex>
  );

  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} arrow={false}>
      <Button type="text" aria-label={t('notices.bell.unreadLabel', { count: unread })} icon={<Badge count={unread} size="small" overflowCount={99}><BellOutlined aria-hidden style={{ fontSize: 16 }} /></Badge>} />
    </Popover>
  );
}
