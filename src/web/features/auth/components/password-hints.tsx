import { CheckCircleFilled, CloseCircleOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Flex, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';

interface Hint {
  key: string;
  label: string;
  /** undefined: cannot be told in the browser (the server checks it). */
  met: boolean | undefined;
}

function countClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
}

/**
 * Live hints for the password policy's usual settings. They only guide: the server applies the
 * configured policy and answers with the violations, which the form then shows.
 */
export function PasswordHints({ password, username }: { password: string; username: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const typed = password.length > 0;
  const hints: Hint[] = [
    { key: 'length', label: t('passwordPolicy.minLength'), met: [...password].length >= 8 },
    { key: 'classes', label: t('passwordPolicy.classes'), met: countClasses(password) >= 3 },
    {
      key: 'username',
      label: t('passwordPolicy.notUsername'),
      met: !username || !password.toLowerCase().includes(username.toLowerCase()),
    },
    { key: 'common', label: t('passwordPolicy.notCommon'), met: undefined },
  ];
  return (
    <Flex vertical gap={2} style={{ marginBottom: token.marginMD }} aria-label={t('passwordPolicy.title')} role="list">
      {hints.map((hint) => {
        const state = hint.met === undefined || !typed ? 'neutral' : hint.met ? 'met' : 'unmet';
        const icon =
          state === 'met' ? (
            <CheckCircleFilled style={{ color: token.colorSuccess }} />
          ) : state === 'unmet' ? (
            <CloseCircleOutlined style={{ color: token.colorError }} />
          ) : (
            <InfoCircleOutlined style={{ color: token.colorTextTertiary }} />
          );
        return (
          <Flex key={hint.key} gap={6} align="center" role="listitem" data-state={state}>
            {icon}
            <Typography.Text type={state === 'unmet' ? 'danger' : 'secondary'} style={{ fontSize: token.fontSizeSM }}>
              {hint.label}
            </Typography.Text>
          </Flex>
        );
      })}
    </Flex>
  );
}
