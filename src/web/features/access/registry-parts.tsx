import { Col, Form, Input, Select, Tag, type FormInstance } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api-client';
import { useErrorMessage } from '../../app/errors';
import { hasMessage } from '../../app/i18n';
import type { Messages } from '../../i18n/zh-CN';
import { useSites, type Pass, type PassStatus, type PersonCategory, type Site } from './registry-queries';

export const ACCESS_LEVELS = ['open', 'restricted', 'closed'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export const TEMPERATURE_MODES = ['off', 'optional', 'required'] as const;
export const SITE_KINDS = ['community', 'plant'] as const;
export const CATEGORIES: readonly PersonCategory[] = ['employee', 'resident', 'family', 'contractor', 'visitor'];
export const ID_TYPES = ['resident-id', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreigner-permit', 'other'] as const;
export const PASS_STATUSES: readonly PassStatus[] = ['active', 'suspended', 'revoked'];

const levelColors: Record<AccessLevel, string> = { open: 'green', restricted: 'orange', closed: 'red' };
const statusColors: Record<PassStatus, string> = { active: 'green', suspended: 'orange', revoked: 'red' };

/** The Chinese and English name fields of a site or checkpoint form (two columns of a Row). */
export function RegistryNameFields() {
  const { t } = useTranslation();
  return (
    <>
      <Col xs={24} sm={12}>
        <Form.Item name="nameZh" label={t('accessRegistry.site.nameZh')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name="nameEn" label={t('accessRegistry.site.nameEn')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
    </>
  );
}

export function AccessLevelTag({ level }: { level: AccessLevel }) {
  const { t } = useTranslation();
  return <Tag color={levelColors[level]}>{t(`accessRegistry.levels.${level}`)}</Tag>;
}

export function PassStatusTag({ pass }: { pass: Pass }) {
  const { t } = useTranslation();
  const expired = pass.status === 'active' && pass.validTo < todayIso();
  if (expired) return <Tag color="default">{t('accessRegistry.passes.expired')}</Tag>;
  return <Tag color={statusColors[pass.status]}>{t(`accessRegistry.passes.status.${pass.status}`)}</Tag>;
}

/** Today in Beijing time, YYYY-MM-DD (validity dates are local dates of Asia/Shanghai). */
export function todayIso(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A site's name in the UI language. */
export function useSiteName(): (s: { nameZh: string; nameEn: string | null }) => string {
  const { i18n } = useTranslation();
  return (s) => (i18n.language === 'en-US' && s.nameEn ? s.nameEn : s.nameZh);
}

/** Picks one site (value: its code) or several (`mode="multiple"`); a form control. */
export function RegistrySiteSelect({
  id,
  value,
  onChange,
  multiple,
  allowClear,
  style,
  placeholder,
}: {
  id?: string;
  value?: string | string[] | null;
  onChange?: (value: string | string[] | undefined) => void;
  multiple?: boolean;
  allowClear?: boolean;
  style?: CSSProperties;
  placeholder?: string;
}) {
  const sites = useSites();
  const name = useSiteName();
  return (
    <Select<string | string[]>
      id={id}
      mode={multiple ? 'multiple' : undefined}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v)}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'label' }}
      loading={sites.isPending}
      placeholder={placeholder}
      style={style}
      options={(sites.data?.rows ?? []).map((s: Site) => ({ value: s.code, label: `${name(s)} (${s.code})` }))}
    />
  );
}

/** ISO weekdays 1–7 as short labels. */
export function useWeekdayLabel(): (day: number) => string {
  const { t } = useTranslation();
  const labels = t('accessRegistry.weekdays', { returnObjects: true });
  return (day) => labels[day - 1] ?? String(day);
}

/** A pass's time windows as text, or "any time". */
export function useWindowsText(): (windows: Pass['windows']) => string {
  const { t } = useTranslation();
  const day = useWeekdayLabel();
  return (windows) =>
    windows && windows.length > 0 ? windows.map((w) => `${w.days.map(day).join('')} ${w.from}–${w.to}`).join('; ') : t('accessRegistry.passes.anyTime');
}

type RegistryErrorCode = keyof Messages['accessRegistry']['errors'];
const isRegistryErrorCode = (code: string): code is RegistryErrorCode => hasMessage(`accessRegistry.errors.${code}`);

/** A sentence about an error: this section's words for the registry's codes, else the app's (or the server's text). */
export function useRegistryErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  return (error) => {
    if (error instanceof ApiError) {
      if (isRegistryErrorCode(error.code)) return t(`accessRegistry.errors.${error.code}`);
      if (error.code.startsWith('ID_NUMBER_') && error.code !== 'ID_NUMBER_TAKEN') return t('accessRegistry.errors.ID_NUMBER_INVALID', { message: error.message });
    }
    return describe(error);
  };
}

/**
 * Puts a server error onto a form: the fields of a VALIDATION_FAILED answer (paths `body/<field>`)
 * and of known codes (`codeFields`) under their field, everything else as one sentence returned.
 */
export function useFormErrors<T extends object>(codeFields: Record<string, keyof T & string> = {}) {
  const describe = useRegistryErrorMessage();
  return (form: FormInstance<T>, error: unknown, known: ReadonlySet<string>): string | null => {
    if (!(error instanceof ApiError)) return describe(error);
    if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
      const byField = new Map<string, string[]>();
      const general: string[] = [];
      for (const issue of error.details as { path?: unknown; message?: unknown }[]) {
        const path = typeof issue.path === 'string' ? issue.path.replace(/^body\/?/, '') : '';
        const text = typeof issue.message === 'string' ? issue.message : '';
        const field = path.split('/')[0] ?? '';
        if (field && known.has(field)) byField.set(field, [...(byField.get(field) ?? []), text]);
        else general.push(path ? `${path}: ${text}` : text);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
      return general.length > 0 ? general.join('; ') : null;
    }
    const field = codeFields[error.code] ?? (error.code.startsWith('ID_NUMBER_') ? codeFields.ID_NUMBER : undefined);
    if (field) {
      form.setFields([{ name: field as never, errors: [describe(error)] }]);
      return null;
    }
    return describe(error);
  };
}
