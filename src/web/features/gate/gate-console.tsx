import { CloseOutlined, IdcardOutlined, QrcodeOutlined, SearchOutlined, SyncOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Input, Segmented, Spin, Switch, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { maskIdNumber } from '../../../domain/access/mask';
import { ApiError } from '../../app/api-client';
import { errorMessage } from '../../app/errors';
import { LanguageSwitch } from '../../app/locale';
import { useSession } from '../../app/session';
import type { LookupRow } from './gate-api';
import { GateController, GateProblem, type Credential, type GateOutcome } from './gate-controller';
import { formatShanghai } from './gate-offline';
import { GateResult } from './gate-result';
import { NumberPad } from './number-pad';
import { QrScanner } from './qr-scanner';

type Mode = 'scan' | 'lookup' | 'idNumber';

const gateErrorCodes = ['DEVICE_TOKEN_INVALID', 'WRONG_CHECKPOINT', 'TEMPERATURE_REQUIRED'] as const;
type GateErrorCode = (typeof gateErrorCodes)[number];
const isGateErrorCode = (code: string): code is GateErrorCode => (gateErrorCodes as readonly string[]).includes(code);

/** What went wrong, in the gate's own words where it has them. */
function describeError(error: unknown, t: TFunction): string {
  if (error instanceof GateProblem) return t(`gate.errors.${error.code}`);
  if (error instanceof ApiError && isGateErrorCode(error.code)) return t(`gate.errors.${error.code}`);
  return errorMessage(error, t);
}

function useGateController(token: string) {
  const [controller] = useState(() => new GateController(token));
  useEffect(() => controller.start(), [controller]);
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  return { controller, state };
}

/** The line under the header: network, queue, last sync, snapshot time. */
function StatusBar({ state, onSync }: { state: ReturnType<GateController['getState']>; onSync: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="gate-status">
      <div className="gate-status-row">
        <Tag color={state.online ? 'green' : 'red'} data-testid="gate-online">
          {state.online ? t('gate.status.online') : t('gate.status.offline')}
        </Tag>
        <span>
          <span className="gate-status-label">{t('gate.status.queue')}</span>
          <strong data-testid="gate-queue">{state.queueLength}</strong>
        </span>
        <Button size="small" icon={<SyncOutlined spin={state.syncing} aria-hidden />} onClick={onSync} disabled={!state.online}>
          {t('gate.status.syncNow')}
        </Button>
      </div>
      <div className="gate-status-row">
        <span>
          <span className="gate-status-label">{t('gate.status.lastSync')}</span>
          <span data-testid="gate-last-sync" data-at={state.lastSyncAt ?? ''}>
            {state.lastSyncAt ? formatShanghai(state.lastSyncAt) : t('gate.status.never')}
          </span>
        </span>
        <span>
          <span className="gate-status-label">{t('gate.status.snapshot')}</span>
          <span data-testid="gate-snapshot-time" data-at={state.snapshotAt ?? ''}>
            {state.snapshotAt ? formatShanghai(state.snapshotAt) : t('gate.status.never')}
          </span>
        </span>
      </div>
    </div>
  );
}

/** 查找: a person by exact name and the last 4 characters of their ID number or phone (online only). */
function LookupPanel({ controller, onPick }: { controller: GateController; onPick: (row: LookupRow) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [last4, setLast4] = useState('');
  const [rows, setRows] = useState<LookupRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const search = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setRows(await controller.lookup(name.trim(), last4.trim()));
    } catch (error) {
      setRows(null);
      setProblem(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={8}>
      <Input size="large" placeholder={t('gate.lookup.name')} aria-label={t('gate.lookup.name')} value={name} onChange={(e) => setName(e.target.value)} />
      <Input
        size="large"
        inputMode="numeric"
        maxLength={4}
        placeholder={t('gate.lookup.last4')}
        aria-label={t('gate.lookup.last4')}
        value={last4}
        onChange={(e) => setLast4(e.target.value.toUpperCase())}
      />
      <Button size="large" className="gate-big" icon={<SearchOutlined aria-hidden />} loading={busy} disabled={!name.trim() || !/^[0-9X]{4}$/.test(last4)} onClick={() => void search()}>
        {t('gate.lookup.search')}
      </Button>
      {problem ? <Alert type="warning" showIcon title={problem} /> : null}
      {rows && rows.length === 0 ? <Alert type="info" showIcon title={t('gate.lookup.none')} /> : null}
      {rows?.map((row) => (
        <Button key={row.person} size="large" className="gate-big" block icon={<UserOutlined aria-hidden />} onClick={() => onPick(row)}>
          {row.name} · {t(`gate.categories.${row.category}`)} · {row.person}
        </Button>
      ))}
    </Flex>
  );
}

/** 证件号: for someone without a phone or a pass card. */
function IdNumberPanel({ onUse }: { onUse: (idNumber: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const normalised = value.replace(/\s/g, '').toUpperCase();
  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('gate.idNumber.hint')}</Typography.Text>
      <Input size="large" placeholder={t('gate.idNumber.label')} aria-label={t('gate.idNumber.label')} value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
      <Button
        size="large"
        className="gate-big"
        icon={<IdcardOutlined aria-hidden />}
        disabled={normalised.length < 4}
        onClick={() => {
          onUse(normalised);
          setValue('');
        }}
      >
        {t('gate.idNumber.use')}
      </Button>
    </Flex>
  );
}

function credentialLabel(credential: Credential, t: TFunction): string {
  switch (credential.kind) {
    case 'token':
      return t('gate.credential.pass', { tail: credential.token.slice(-4) });
    case 'person':
      return `${credential.name} · ${t(`gate.categories.${credential.category}`)}`;
    case 'idNumber':
      return t('gate.credential.idNumber', { masked: maskIdNumber(credential.idNumber) });
  }
}

/** Parses the typed temperature: null when empty, NaN when out of 30–45 ℃. */
function parseTemperature(text: string): number | null {
  if (text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 30 && value <= 45 ? Math.round(value * 10) / 10 : Number.NaN;
}

/** The bound gate: who is at the gate, which way, temperature, vehicle; then the answer. */
export function GateConsole({ token, onUnbind }: { token: string; onUnbind: () => void }) {
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const { controller, state } = useGateController(token);
  const guard = useSession().data?.user ?? null;
  const [mode, setMode] = useState<Mode>('scan');
  const [credential, setCredential] = useState<Credential | null>(null);
  const [direction, setDirection] = useState<'in' | 'out'>('in');
  const [temperature, setTemperature] = useState('');
  const [plate, setPlate] = useState('');
  const [disinfected, setDisinfected] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<GateOutcome | null>(null);

  const device = state.device;
  const temperatureMode = device?.site.temperatureMode ?? 'optional';
  const temperatureC = parseTemperature(temperature);
  const temperatureMissing = temperatureMode === 'required' && direction === 'in' && temperatureC === null;
  const temperatureBad = temperatureC !== null && Number.isNaN(temperatureC);

  const next = useCallback(() => {
    setOutcome(null);
    setCredential(null);
    setTemperature('');
    setPlate('');
    setDisinfected(false);
  }, []);

  const submit = async () => {
    if (!credential || temperatureMissing || temperatureBad) return;
    setBusy(true);
    setProblem(null);
    try {
      const trimmedPlate = plate.replace(/\s/g, '').toUpperCase();
      setOutcome(
        await controller.scan({
          credential,
          direction,
          temperatureC: temperatureMode === 'off' ? null : temperatureC,
          plate: trimmedPlate.length >= 2 ? trimmedPlate : null,
          disinfected: trimmedPlate.length >= 2 ? disinfected : null,
        }),
      );
    } catch (error) {
      setProblem(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const unbind = () => {
    if (state.queueLength > 0) {
      void modal.warning({ title: t('gate.bind.unbind'), content: t('gate.bind.unbindBlocked', { count: state.queueLength }) });
      return;
    }
    void modal.confirm({ title: t('gate.bind.unbind'), content: t('gate.bind.unbindConfirm'), onOk: onUnbind });
  };

  const checkpointName = device ? (i18n.language === 'en-US' && device.checkpoint.nameEn ? device.checkpoint.nameEn : device.checkpoint.nameZh) : '';
  const siteName = device ? (i18n.language === 'en-US' && device.site.nameEn ? device.site.nameEn : device.site.nameZh) : '';

  return (
    <div className="gate-app">
      <header className="gate-header">
        <Flex justify="space-between" align="center" gap={8}>
          <div style={{ minWidth: 0 }}>
            <div className="gate-title">{t('gate.title')}</div>
            <div className="gate-place" data-testid="gate-place">
              {device ? `${checkpointName} · ${siteName}` : <Spin size="small" />}
            </div>
          </div>
          <LanguageSwitch />
        </Flex>
        <div className="gate-guard">
          {guard ? (
            t('gate.status.guard', { name: guard.displayName })
          ) : (
            <>
              {t('gate.status.noGuard')} · <Link to="/login" state={{ from: '/gate' }}>{t('gate.status.signIn')}</Link>
            </>
          )}
        </div>
      </header>
      <StatusBar state={state} onSync={() => void controller.refresh()} />
      <main className="gate-body">
        {state.deviceInvalid ? (
          <Alert
            type="error"
            showIcon
            title={t('gate.bind.revoked')}
            action={
              <Button size="small" onClick={unbind}>
                {t('gate.bind.unbind')}
              </Button>
            }
          />
        ) : null}
        {state.snapshotRejected ? <Alert type="warning" showIcon title={t('gate.status.snapshotInvalid')} /> : null}
        {state.syncError ? <Alert type="warning" showIcon title={t('gate.status.syncFailed', { message: state.syncError })} /> : null}

        <section className="gate-card">
          {credential ? (
            <Flex align="center" justify="space-between" gap={8} className="gate-credential" data-testid="gate-credential">
              <strong>{credentialLabel(credential, t)}</strong>
              <Button type="text" size="large" icon={<CloseOutlined aria-hidden />} aria-label={t('gate.credential.clear')} onClick={() => setCredential(null)} />
            </Flex>
          ) : (
            <>
              <Segmented<Mode>
                block
                size="large"
                value={mode}
                onChange={(value) => setMode(value)}
                options={[
                  { value: 'scan', label: t('gate.mode.scan'), icon: <QrcodeOutlined aria-hidden /> },
                  { value: 'lookup', label: t('gate.mode.lookup'), icon: <SearchOutlined aria-hidden /> },
                  { value: 'idNumber', label: t('gate.mode.idNumber'), icon: <IdcardOutlined aria-hidden /> },
                ]}
              />
              <div style={{ marginTop: 12 }}>
                {mode === 'scan' ? <QrScanner testId="gate-file" onText={(text) => setCredential({ kind: 'token', token: text.trim() })} /> : null}
                {mode === 'lookup' ? <LookupPanel controller={controller} onPick={(row) => setCredential({ kind: 'person', code: row.person, name: row.name, category: row.category })} /> : null}
                {mode === 'idNumber' ? <IdNumberPanel onUse={(idNumber) => setCredential({ kind: 'idNumber', idNumber })} /> : null}
              </div>
              <Typography.Text type="secondary" className="gate-hint">
                {t('gate.credential.none')}
              </Typography.Text>
            </>
          )}
        </section>

        <section className="gate-card">
          <Segmented<'in' | 'out'>
            block
            size="large"
            className="gate-direction"
            aria-label={t('gate.direction.label')}
            value={direction}
            onChange={(value) => setDirection(value)}
            options={[
              { value: 'in', label: t('gate.direction.in') },
              { value: 'out', label: t('gate.direction.out') },
            ]}
          />
        </section>

        {temperatureMode === 'off' ? null : (
          <section className="gate-card">
            <Flex justify="space-between" align="baseline">
              <span>
                {t('gate.temperature.label')}{' '}
                <Typography.Text type={temperatureMode === 'required' ? 'danger' : 'secondary'}>
                  ({temperatureMode === 'required' ? t('gate.temperature.required') : t('gate.temperature.optional')})
                </Typography.Text>
              </span>
              <Button type="link" onClick={() => setTemperature('')} disabled={temperature === ''}>
                {t('gate.temperature.clear')}
              </Button>
            </Flex>
            <div className={`gate-temperature${temperatureBad ? ' gate-temperature-bad' : ''}`} data-testid="gate-temperature" aria-live="polite">
              {temperature === '' ? '—' : `${temperature} ℃`}
            </div>
            {temperatureBad ? <Typography.Text type="danger">{t('gate.temperature.range')}</Typography.Text> : null}
            <NumberPad value={temperature} onChange={setTemperature} />
          </section>
        )}

        <section className="gate-card">
          <Flex vertical gap={12}>
            <Input size="large" placeholder={t('gate.plate')} aria-label={t('gate.plate')} value={plate} onChange={(e) => setPlate(e.target.value.toUpperCase())} maxLength={16} autoComplete="off" />
            <Flex justify="space-between" align="center">
              <span>{t('gate.disinfected')}</span>
              <Switch checked={disinfected} onChange={setDisinfected} aria-label={t('gate.disinfected')} disabled={plate.trim().length < 2} />
            </Flex>
          </Flex>
        </section>

        {problem ? <Alert type="error" showIcon title={problem} /> : null}
        {temperatureMissing && credential ? <Alert type="warning" showIcon title={t('gate.temperature.missing')} /> : null}

        <div className="gate-submit-bar">
          <Button
            type="primary"
            size="large"
            block
            className="gate-submit"
            loading={busy}
            disabled={!credential || !device || temperatureMissing || temperatureBad}
            onClick={() => void submit()}
          >
            {t('gate.submit')}
          </Button>
        </div>

        <Flex justify="center">
          <Button type="link" size="small" onClick={unbind}>
            {t('gate.bind.unbind')}
          </Button>
        </Flex>
      </main>
      {outcome ? <GateResult outcome={outcome} onDone={next} /> : null}
    </div>
  );
}
