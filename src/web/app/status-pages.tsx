import { ExclamationCircleOutlined, FileSearchOutlined, StopOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Flex, Spin, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { useErrorMessage } from './errors';

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" description={t('app.loading')} />
    </Flex>
  );
}

export function PageSpin() {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: 240 }}>
      <Spin description={t('app.loading')} />
    </Flex>
  );
}

/**
 * A page-sized message (not found, forbidden, failed). Like antd's Result, without its illustrations,
 * which would weigh on the first load of every page.
 */
function StatusMessage({
  icon,
  title,
  subTitle,
  extra,
}: {
  icon: ReactNode;
  title: string;
  subTitle?: string;
  extra?: ReactNode;
}) {
  const { token } = theme.useToken();
  return (
    <Flex vertical align="center" gap={8} role="alert" style={{ padding: '48px 16px', textAlign: 'center' }}>
      <span style={{ fontSize: 56, lineHeight: 1, color: token.colorTextTertiary }}>{icon}</span>
      <Typography.Title level={4} style={{ margin: '12px 0 0' }}>
        {title}
      </Typography.Title>
      {subTitle ? <Typography.Text type="secondary">{subTitle}</Typography.Text> : null}
      {extra ? <div style={{ marginTop: 16 }}>{extra}</div> : null}
    </Flex>
  );
}

function BackHome() {
  const { t } = useTranslation();
  return (
    <Link to="/">
      <Button type="primary">{t('common.backHome')}</Button>
    </Link>
  );
}

/** A request for the page's data failed: say why and offer another try. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const describeError = useErrorMessage();
  return (
    <StatusMessage
      icon={<WarningOutlined aria-hidden style={{ color: token.colorWarning }} />}
      title={t('common.loadFailed')}
      subTitle={describeError(error)}
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : null
      }
    />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusMessage icon={<FileSearchOutlined aria-hidden  />} title="404" subTitle={t('common.notFound')} extra={<BackHome />} />;
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <StatusMessage icon={<StopOutlined aria-hidden  />} title="403" subTitle={t('common.forbidden')} extra={<BackHome />} />;
}

/** Shown when rendering a route throws (or its code could not be loaded, e.g. after a deployment). */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <StatusMessage
      icon={<ExclamationCircleOutlined aria-hidden style={{ color: token.colorError }} />}
      title={t('common.pageCrashed')}
      subTitle={t('common.pageCrashedHint')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>
      }
    />
  );
}
