import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Select, Typography, type FormInstance } from 'antd';
import type { HookAPI } from 'antd/es/modal/useModal';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DenyReason } from '../../../domain/access/gate-decision';
import { reasonMessage } from '../../../domain/access/reason-messages';
import { ApiError } from '../../app/api-client';
import { usePeopleSearch, type Site } from './live-queries';

const shanghaiDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const shanghaiTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const shanghaiHm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Today's date at the sites (Asia/Shanghai), YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return shanghaiDate.format(now);
}

/** An instant as Beijing time: 'YYYY-MM-DD HH:mm:ss', or only the time (`time`) or 'HH:mm' (`hm`). */
export function formatShanghai(iso: string | null | undefined, style: 'full' | 'time' | 'hm' | 'dateHm' = 'full'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  switch (style) {
    case 'time':
      return shanghaiTime.format(d);
    case 'hm':
      return shanghaiHm.format(d);
    case 'dateHm':
      return `${shanghaiDate.format(d)} ${shanghaiHm.format(d)}`;
    default:
      return `${shanghaiDate.format(d)} ${shanghaiTime.format(d)}`;
  }
}

/** A local (Asia/Shanghai) date and HH:mm as an ISO instant. */
export function shanghaiInstant(date: string, hhmm: string): string {
  return new Date(`${date}T${hhmm}:00+08:00`).toISOString();
}

/** A site's name in the user's language. */
export function siteLabel(site: { nameZh: string; nameEn: string | null }, language: string): string {
  return language === 'en-US' && site.nameEn ? site.nameEn : site.nameZh;
}

/** The plain words of a deny reason (the same the guard reads at the gate). */
export function reasonText(reason: string | null, language: string): string {
  return reasonMessage(reason as DenyReason | null, language === 'en-US' ? 'en-US' : 'zh-CN');
}

/** Plant sites first (where the roll-call matters), then communities, each by code. */
export function sortedSites(sites: readonly Site[]): Site[] {
  return [...sites].sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'plant' ? -1 : 1));
}

export function SiteSelect({
  sites,
  value,
  onChange,
  id,
  allowClear,
  placeholder,
  style,
  loading,
}: {
  sites: readonly Site[];
  value: string | undefined;
  onChange: (code: string | undefined) => void;
  id?: string;
  allowClear?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  loading?: boolean;
}) {
  const { i18n } = useTranslation();
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      allowClear={allowClear}
      placeholder={placeholder}
      loading={loading}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 200, ...style }}
      options={sortedSites(sites).map((s) => ({ value: s.code, label: `${siteLabel(s, i18n.language)} (${s.code})` }))}
    />
  );
}

/**
 * A person picked by typing a prefix of the name or code (GET /api/people); the value is the
 * person's code. `extra` keeps options for codes chosen before (e.g. a vehicle's owner).
 */
export function PersonPicker({
  value,
  onChange,
  id,
  multiple,
  placeholder,
  extra = [],
  allowClear,
  style,
}: {
  value?: string | string[] | null;
  onChange?: (value: string | string[] | null) => void;
  id?: string;
  multiple?: boolean;
  placeholder?: string;
  extra?: readonly { code: string; name: string }[];
  allowClear?: boolean;
  style?: React.CSSProperties;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const people = usePeopleSearch(q);
  // Names of the people picked so far, kept while the search moves on to others.
  const [picked, setPicked] = useState<ReadonlyMap<string, string>>(new Map());
  const found = people.data?.items;
  const options = useMemo(() => {
    const names = new Map<string, string>();
    for (const e of extra) names.set(e.code, e.name);
    for (const [code, name] of picked) names.set(code, name);
    for (const p of found ?? []) names.set(p.code, p.name);
    const chosen = value ? (Array.isArray(value) ? value : [value]) : [];
    const codes = [...new Set([...chosen, ...(found ?? []).map((p) => p.code), ...extra.map((e) => e.code)])];
    return codes.map((code) => ({ value: code, label: names.has(code) ? `${names.get(code)} (${code})` : code, name: names.get(code) ?? code }));
  }, [extra, picked, found, value]);
  const remember = (codes: string[]) => {
    const next = new Map(picked);
    for (const code of codes) {
      const o = options.find((x) => x.value === code);
      if (o) next.set(code, o.name);
    }
    setPicked(next);
  };
  return (
    <Select<string | string[]>
      id={id}
      mode={multiple ? 'multiple' : undefined}
      value={value ?? undefined}
      onChange={(v) => {
        remember(v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
        onChange?.(v ?? null);
      }}
      allowClear={allowClear}
      placeholder={placeholder ?? t('accessLive.common.personSearch')}
      showSearch={{ filterOption: false, onSearch: setQ, searchValue: q }}
      onBlur={() => setQ('')}
      loading={people.isFetching}
      notFoundContent={q.trim() && !people.isFetching ? t('accessLive.common.noPerson') : null}
      options={options}
      style={{ width: '100%', ...style }}
    />
  );
}

/**
 * Shows a server's answer at the form's fields when it names one (`details.field`, or the paths of
 * a validation failure); `fields` maps the API's field paths to the form's names. Returns whether
 * a field took it; the caller shows a message otherwise.
 */
export function showFieldErrors(form: FormInstance, error: unknown, fields: Record<string, string>): boolean {
  if (!(error instanceof ApiError)) return false;
  const hits: { name: string; errors: string[] }[] = [];
  const details = error.details;
  const place = (path: string, text: string) => {
    const clean = path.replace(/^body\/?/, '').replaceAll('/', '.');
    const name = fields[clean];
    if (name && !hits.some((h) => h.name === name)) hits.push({ name, errors: [text] });
  };
  if (Array.isArray(details)) {
    for (const d of details as { path?: unknown; message?: unknown }[]) {
      if (typeof d.path === 'string') place(d.path, typeof d.message === 'string' ? d.message : error.message);
    }
  } else if (details && typeof details === 'object' && typeof (details as { field?: unknown }).field === 'string') {
    place((details as { field: string }).field, error.message);
  }
  if (hits.length) form.setFields(hits);
  return hits.length > 0;
}

/**
 * A confirmation that asks for a reason (taking someone off the block list): its OK button is
 * enabled once a reason is written; `onOk` gets it (and shows its own errors).
 */
export function confirmWithReason(
  modal: HookAPI,
  options: { title: string; content: string; label: string; okText: string; cancelText: string; onOk: (reason: string) => Promise<unknown> },
): void {
  let reason = '';
  const instance = modal.confirm({
    title: options.title,
    content: (
      <Flex vertical gap={8}>
        <Typography.Text>{options.content}</Typography.Text>
        <Input.TextArea
          aria-label={options.label}
          placeholder={options.label}
          rows={3}
          maxLength={500}
          onChange={(e) => {
            reason = e.target.value.trim();
            instance.update({ okButtonProps: { danger: true, disabled: !reason } });
          }}
        />
      </Flex>
    ),
    okText: options.okText,
    okButtonProps: { danger: true, disabled: true },
    cancelText: options.cancelText,
    onOk: () => options.onOk(reason).catch(() => undefined),
  });
}

/** "Refreshed at 10:31:05" with a button to fetch at once. */
export function LastRefresh({ at, onRefresh, busy }: { at: number | undefined; onRefresh: () => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8} align="center" className="no-print">
      <Typography.Text type="secondary" data-testid="last-refresh">
        {at ? t('accessLive.common.refreshedAt', { time: formatShanghai(new Date(at).toISOString(), 'time') }) : t('accessLive.common.loading')}
      </Typography.Text>
      <Button size="small" icon={<ReloadOutlined aria-hidden />} loading={busy} onClick={onRefresh} aria-label={t('accessLive.common.refresh')} />
    </Flex>
  );
}
