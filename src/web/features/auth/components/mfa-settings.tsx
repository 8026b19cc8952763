import { Alert, Button, Flex, Form, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Me, MfaEnrolment } from '../../../../server/modules/auth/auth.schemas';
import { useErrorMessage } from '../../../app/errors';
import { useQrDataUrl } from '../../../app/use-qr-data-url';
import { MfaCodeInput } from './mfa-code-input';
import { useConfirmMfa, useDisableMfa, useStartMfaEnrolment } from '../queries';

/** The otpauth URI as a QR code, drawn in the browser (the secret never leaves for another service). */
function EnrolmentQr({ enrolment }: { enrolment: MfaEnrolment }) {
  const { t } = useTranslation();
  const qr = useQrDataUrl(enrolment.uri, 220);
  return (
    <Flex vertical gap={8}>
      <Typography.Text>{t('auth.mfaScan')}</Typography.Text>
      {qr ? <img src={qr} alt={t('auth.mfaQrAlt')} width={220} height={220} /> : null}
      <Typography.Text>
        {t('auth.mfaSecret')}: <Typography.Text code copyable data-testid="mfa-secret">{enrolment.secret}</Typography.Text>
      </Typography.Text>
      <Typography.Text type="secondary">{t('auth.mfaSecretOnce')}</Typography.Text>
    </Flex>
  );
}

/** Sets up two-step verification: start, scan, confirm with a code. */
export function MfaEnrolmentForm({ onEnrolled }: { onEnrolled?: () => void }) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const start = useStartMfaEnrolment();
  const confirm = useConfirmMfa();
  const [form] = Form.useForm<{ code: string }>();
  if (!start.data) {
    return (
      <Flex vertical gap={12} align="flex-start">
        <Typography.Paragraph style={{ margin: 0 }}>{t('auth.mfaIntro')}</Typography.Paragraph>
        {start.error ? <Alert type="error" showIcon title={describeError(start.error)} /> : null}
        <Button type="primary" loading={start.isPending} onClick={() => start.mutate()}>
          {t('auth.mfaStart')}
        </Button>
      </Flex>
    );
  }
  return (
    <Flex vertical gap={12}>
      <EnrolmentQr enrolment={start.data} />
      <Form<{ code: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => confirm.mutate(values.code, { onSuccess: () => onEnrolled?.() })}
        onValuesChange={() => confirm.error && confirm.reset()}
      >
        <MfaCodeInput autoFocus />
        {confirm.error ? <Alert type="error" showIcon title={describeError(confirm.error)} style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" htmlType="submit" loading={confirm.isPending}>
          {t('auth.mfaConfirm')}
        </Button>
      </Form>
    </Flex>
  );
}

/** The account page's section: the state, and setting up or turning off. */
export function MfaSettings({ me, onChanged }: { me: Me; onChanged: (done: 'enrolled' | 'disabled') => void }) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const disable = useDisableMfa();
  const [form] = Form.useForm<{ code: string }>();
  return (
    <Flex vertical gap={12}>
      <Flex gap={8} align="center">
        <Tag color={me.mfa.enrolled ? 'success' : 'default'}>{me.mfa.enrolled ? t('auth.mfaEnabled') : t('auth.mfaDisabled')}</Tag>
        {me.mfa.required ? <Tag color="warning">{t('auth.mfaRequiredTag')}</Tag> : null}
      </Flex>
      {!me.mfa.enrolled ? (
        <MfaEnrolmentForm onEnrolled={() => onChanged('enrolled')} />
      ) : me.mfa.required ? (
        <Typography.Text type="secondary">{t('auth.mfaRequiredNote')}</Typography.Text>
      ) : (
        <Form<{ code: string }>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => disable.mutate(values.code, { onSuccess: () => onChanged('disabled') })}
          onValuesChange={() => disable.error && disable.reset()}
        >
          <Typography.Paragraph type="secondary">{t('auth.mfaDisableHint')}</Typography.Paragraph>
          <MfaCodeInput />
          {disable.error ? <Alert type="error" showIcon title={describeError(disable.error)} style={{ marginBottom: 16 }} /> : null}
          <Button danger htmlType="submit" loading={disable.isPending}>
            {t('auth.mfaDisable')}
          </Button>
        </Form>
      )}
    </Flex>
  );
}
