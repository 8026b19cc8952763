import CloseCircleFilled from '@ant-design/icons-svg/es/asn/CloseCircleFilled';
import EyeInvisibleOutlined from '@ant-design/icons-svg/es/asn/EyeInvisibleOutlined';
import EyeOutlined from '@ant-design/icons-svg/es/asn/EyeOutlined';
import LockOutlined from '@ant-design/icons-svg/es/asn/LockOutlined';
import UserOutlined from '@ant-design/icons-svg/es/asn/UserOutlined';
import { useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { hasErrorCode, useErrorMessage } from '../../app/errors';
import { LanguageSwitch } from '../../app/locale';
import { SvgIcon } from '../../app/svg-icon';
import { VersionNote } from '../system/version-note';
import { AuthPanel } from './components/auth-panel';
import type { LoginInput } from './queries';
import { useDemoAccounts, useLogin } from './queries';

// The sign-in page is the first thing anyone loads: it is drawn with plain elements styled like
// antd's vertical form (plain.css), so that it downloads no antd at all (issue 9: under 250 KB).

type FieldName = 'username' | 'password' | 'code';
type Values = Record<FieldName, string>;

const codeRule = /^\d{6}$/;
const emptyValues: Values = { username: '', password: '', code: '' };

/** What is wrong with each field, as antd's rules said it: required, and six digits for the code. */
function fieldErrors(values: Values, askCode: boolean, messages: Values): Partial<Values> {
  const errors: Partial<Values> = {};
  if (!values.username.trim()) errors.username = messages.username;
  if (!values.password) errors.password = messages.password;
  if (askCode && !codeRule.test(values.code)) errors.code = messages.code;
  return errors;
}

/** A labelled input with an optional icon before it, a hint and an error under it (antd's Form.Item). */
function Field({
  label,
  prefix,
  suffix,
  extra,
  error,
  inputProps,
}: {
  label: string;
  prefix?: ReactNode;
  suffix?: ReactNode;
  extra?: string;
  error?: string;
  inputProps: InputHTMLAttributes<HTMLInputElement>;
}) {
  const id = useId();
  const noteId = `${id}-note`;
  return (
    <div className="plain-field">
      <label htmlFor={id}>{label}</label>
      <div className={error ? 'plain-input plain-input-invalid' : 'plain-input'}>
        {prefix ? <span className="plain-input-prefix">{prefix}</span> : null}
        <input id={id} aria-invalid={Boolean(error)} aria-describedby={error || extra ? noteId : undefined} {...inputProps} />
        {suffix}
      </div>
      {error ? (
        <div id={noteId} className="plain-field-error" role="alert">
          {error}
        </div>
      ) : extra ? (
        <div id={noteId} className="plain-field-extra">
          {extra}
        </div>
      ) : null}
    </div>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const login = useLogin();
  const demo = useDemoAccounts().data;
  const [values, setValues] = useState<Values>(emptyValues);
  // Like antd: a field shows its error once it was edited, or after a submit.
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [showPassword, setShowPassword] = useState(false);
  const [switchError, setSwitchError] = useState<string | null>(null);
  // The server answers MFA_REQUIRED when the password is right and the account has a second factor.
  const [askCode, setAskCode] = useState(false);
  const errors = fieldErrors(values, askCode, { username: t('auth.usernameRequired'), password: t('auth.passwordRequired'), code: t('auth.mfaCodeInvalid') });
  const shownError = (field: FieldName) => (touched[field] ? errors[field] : undefined);
  const loginError = login.error && !hasErrorCode(login.error, 'MFA_REQUIRED') ? describeError(login.error) : null;
  const alert = loginError ?? switchError;

  const change = (field: FieldName, value: string) => {
    if (login.error) login.reset();
    setSwitchError(null);
    // Another account: its password first.
    if (field === 'username') setAskCode(false);
    setValues((current) => ({ ...current, [field]: value }));
    setTouched((current) => ({ ...current, [field]: true }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTouched({ username: true, password: true, code: true });
    if (Object.keys(errors).length > 0) return;
    const input: LoginInput = askCode ? values : { username: values.username, password: values.password };
    login.mutate(input, {
      onError: (error) => {
        if (hasErrorCode(error, 'MFA_REQUIRED')) setAskCode(true);
      },
    });
  };

  const fillDemo = (username: string, password: string) => {
    login.reset();
    setAskCode(false);
    setValues({ username, password, code: '' });
    setTouched({});
  };

  return (
    <div className="plain-auth-page">
      <div className="plain-auth-bar">
        <LanguageSwitch onError={setSwitchError} />
      </div>
      <div className="plain-auth-column">
        <div className="plain-auth-heading">
          <h1>{t('app.name')}</h1>
          <span className="plain-auth-product">{t('app.product')}</span>
        </div>
        <AuthPanel title={t('auth.loginTitle')}>
          <form noValidate onSubmit={submit}>
            <Field
              label={t('auth.username')}
              prefix={<SvgIcon icon={UserOutlined} />}
              error={shownError('username')}
              inputProps={{
                name: 'username',
                value: values.username,
                onChange: (e) => change('username', e.target.value),
                autoComplete: 'username',
                autoCapitalize: 'none',
                spellCheck: false,
              }}
            />
            <Field
              label={t('auth.password')}
              prefix={<SvgIcon icon={LockOutlined} />}
              suffix={
                <button type="button" className="plain-input-toggle" aria-label={t('auth.showSecret')} aria-pressed={showPassword} onClick={() => setShowPassword((shown) => !shown)}>
                  <SvgIcon icon={showPassword ? EyeOutlined : EyeInvisibleOutlined} />
                </button>
              }
              error={shownError('password')}
              inputProps={{
                name: 'password',
                type: showPassword ? 'text' : 'password',
                value: values.password,
                onChange: (e) => change('password', e.target.value),
                autoComplete: 'current-password',
              }}
            />
            {askCode ? (
              <Field
                label={t('auth.mfaCode')}
                extra={t('auth.mfaCodeHint')}
                error={shownError('code')}
                inputProps={{
                  name: 'code',
                  value: values.code,
                  onChange: (e) => change('code', e.target.value),
                  inputMode: 'numeric',
                  autoComplete: 'one-time-code',
                  maxLength: 6,
                  autoFocus: true,
                  style: { maxWidth: 200 },
                }}
              />
            ) : null}
            {alert ? (
              <div className="plain-alert-error" role="alert">
                <SvgIcon icon={CloseCircleFilled} />
                <span>{alert}</span>
              </div>
            ) : null}
            <button type="submit" className={`plain-button plain-button-primary plain-button-block${login.isPending ? ' plain-button-loading' : ''}`} disabled={login.isPending}>
              {t('auth.signIn')}
            </button>
          </form>
        </AuthPanel>
        {demo?.demo && demo.accounts.length > 0 ? (
          <AuthPanel title={t('auth.demoTitle')} compact>
            <p className="plain-demo-hint">{t('auth.demoHint', { password: demo.password ?? '' })}</p>
            <div className="plain-demo-list">
              {demo.accounts.map((account) => (
                <div key={account.username} className="plain-demo-account">
                  <button type="button" className="plain-button plain-button-small" onClick={() => fillDemo(account.username, demo.password ?? '')}>
                    {account.username}
                  </button>
                  <span>
                    {account.role}
                    {account.unitCode ? ` · ${account.unitCode}` : ''}
                  </span>
                </div>
              ))}
            </div>
          </AuthPanel>
        ) : null}
        <div style={{ textAlign: 'center' }}>
          <VersionNote />
        </div>
      </div>
    </div>
  );
}
