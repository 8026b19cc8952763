import { LinkOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../../app/locale';
import { GateConsole } from './gate-console';
import { bindDevice, boundToken, deviceTokenIn, unbindDevice } from './gate-controller';
import { QrScanner } from './qr-scanner';
import './gate.css';
import { AntdProviders } from '../../app/antd-providers';

/**
 * Makes /gate an installable app while it is open: its manifest, theme colour and title, and the
 * service worker that keeps the shell for offline starts (production builds only: the dev server's
 * modules are not worth caching). The worker is told which assets this page loaded, since those
 * came before it took control.
 */
function useGatePwa(): void {
  const { t } = useTranslation();
  useEffect(() => {
    const manifest = document.createElement('link');
    manifest.rel = 'manifest';
    manifest.href = '/gate.webmanifest';
    const theme = document.createElement('meta');
    theme.name = 'theme-color';
    theme.content = '#1456a0';
    document.head.append(manifest, theme);
    return () => {
      manifest.remove();
      theme.remove();
    };
  }, []);
  useEffect(() => {
    const before = document.title;
    document.title = t('gate.title');
    return () => {
      document.title = before;
    };
  }, [t]);
  useEffect(() => {
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
    const loaded = () => [
      ...new Set([
        '/gate.webmanifest',
        '/gate-icon-192.png',
        ...performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .filter((name) => name.startsWith(`${location.origin}/assets/`)),
      ]),
    ];
    navigator.serviceWorker
      .register('/gate-sw.js', { scope: '/gate' })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => registration.active?.postMessage({ type: 'gate-cache', urls: loaded() }))
      .catch(() => undefined);
  }, []);
}

/** First run: the device token, pasted or read from its QR code. */
function BindDevice({ onBound }: { onBound: (token: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const tryBind = (value: string) => {
    const token = deviceTokenIn(value);
    if (!token) {
      setProblem(t('gate.bind.invalid'));
      return;
    }
    onBound(token);
  };
  return (
    <div className="gate-app">
      <header className="gate-header">
        <Flex justify="space-between" align="center">
          <div className="gate-title">{t('gate.title')}</div>
          <LanguageSwitch />
        </Flex>
      </header>
      <main className="gate-body">
        <section className="gate-card">
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('gate.bind.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('gate.bind.intro')}</Typography.Paragraph>
          <Flex vertical gap={12}>
            <Input.TextArea
              aria-label={t('gate.bind.token')}
              placeholder="dev_…"
              autoSize={{ minRows: 2, maxRows: 4 }}
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <Button type="primary" size="large" className="gate-big" icon={<LinkOutlined aria-hidden />} disabled={!text.trim()} onClick={() => tryBind(text)}>
              {t('gate.bind.submit')}
            </Button>
            <QrScanner onText={tryBind} testId="gate-bind-file" />
            {problem ? <Alert type="error" showIcon title={problem} /> : null}
          </Flex>
        </section>
      </main>
    </div>
  );
}

/**
 * 卡口通行: the guard's phone app at /gate, outside the main layout and usable without signing in
 * (the device token is the credential). `?device=<token>` binds the device and leaves the address.
 */
export function GatePage() {
  return (
    <AntdProviders>
      <GateApp />
    </AntdProviders>
  );
}

function GateApp() {
  useGatePwa();
  const location = useLocation();
  const navigate = useNavigate();
  const urlToken = new URLSearchParams(location.search).get('device');
  const [token, setToken] = useState<string | null>(() => {
    const fromUrl = urlToken ? deviceTokenIn(urlToken) : null;
    if (fromUrl) bindDevice(fromUrl);
    return fromUrl ?? boundToken();
  });
  useEffect(() => {
    // The token must not stay in the address bar, the history or a screenshot.
    if (urlToken !== null) void navigate({ pathname: location.pathname, search: '' }, { replace: true });
  }, [urlToken, navigate, location.pathname]);

  if (!token) {
    return (
      <BindDevice
        onBound={(bound) => {
          bindDevice(bound);
          setToken(bound);
        }}
      />
    );
  }
  return (
    <GateConsole
      key={token}
      token={token}
      onUnbind={() => {
        unbindDevice();
        setToken(null);
      }}
    />
  );
}
