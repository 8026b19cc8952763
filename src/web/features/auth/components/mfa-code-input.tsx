import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

const codeRule = /^\d{6}$/;

/**
 * The 6-digit code field, shared by the set-up, the turning off and the sign-in: a file of its own, so
 * that a page with the field does not load the set-up's QR code library.
 */
export function MfaCodeInput({ autoFocus }: { autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={t('auth.mfaCode')}
      name="code"
      extra={t('auth.mfaCodeHint')}
      rules={[{ required: true, pattern: codeRule, message: t('auth.mfaCodeInvalid') }]}
    >
      <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus={autoFocus} style={{ maxWidth: 200 }} />
    </Form.Item>
  );
}
