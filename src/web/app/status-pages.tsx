import ExclamationCircleOutlined from '@ant-design/icons-svg/es/asn/ExclamationCircleOutlined';
import FileSearchOutlined from '@ant-design/icons-svg/es/asn/FileSearchOutlined';
import StopOutlined from '@ant-design/icons-svg/es/asn/StopOutlined';
import WarningOutlined from '@ant-design/icons-svg/es/asn/WarningOutlined';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { useErrorMessage } from './errors';
import { SvgIcon } from './svg-icon';

// Plain elements styled like antd (plain.css): the router and the guards show these from the entry,
// before antd has loaded (issue 9).

function Spinner({ className }: { className: string }) {
  const { t } = useTranslation();
  return (
    <div className={`plain-spin ${className}`} role="status" aria-live="polite">
      <span className="plain-spin-dots" aria-hidden>
        <i />
        <i />
        <i />
        <i />
      </span>
      <span className="plain-spin-text">{t('app.loading')}</span>
    </div>
  );
}

export function FullPageSpin() {
  return <Spinner className="plain-spin-page" />;
}

export function PageSpin() {
  return <Spinner className="plain-spin-section" />;
}

/** A page-sized message (not found, forbidden, failed): like antd's Result, without its illustrations. */
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
  return (
    <div className="plain-status" role="alert">
      <span className="plain-status-icon">{icon}</span>
      <h4 className="plain-status-title">{title}</h4>
      {subTitle ? <span className="plain-secondary">{subTitle}</span> : null}
      {extra ? <div className="plain-status-extra">{extra}</div> : null}
    </div>
  );
}

function BackHome() {
  const { t } = useTranslation();
  return (
    <Link to="/" className="plain-button plain-button-primary">
      {t('common.backHome')}
    </Link>
  );
}

/** A request for the page's data failed: say why and offer another try. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  return (
    <StatusMessage
      icon={<SvgIcon icon={WarningOutlined} style={{ color: 'var(--ps-warning)' }} />}
      title={t('common.loadFailed')}
      subTitle={describeError(error)}
      extra={
        onRetry ? (
          <button type="button" className="plain-button plain-button-primary" onClick={onRetry}>
            {t('common.retry')}
          </button>
        ) : null
      }
    />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusMessage icon={<SvgIcon icon={FileSearchOutlined} />} title="404" subTitle={t('common.notFound')} extra={<BackHome />} />;
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <StatusMessage icon={<SvgIcon icon={StopOutlined} />} title="403" subTitle={t('common.forbidden')} extra={<BackHome />} />;
}

/** Shown when rendering a route throws (or its code could not be loaded, e.g. after a deployment). */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <StatusMessage
      icon={<SvgIcon icon={ExclamationCircleOutlined} style={{ color: 'var(--ps-error)' }} />}
      title={t('common.pageCrashed')}
      subTitle={t('common.pageCrashedHint')}
      extra={
        <button type="button" className="plain-button plain-button-primary" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </button>
      }
    />
  );
}
