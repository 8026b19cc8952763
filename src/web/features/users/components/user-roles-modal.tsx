import { Alert, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../server/modules/users/users.schemas';
import { useErrorMessage } from '../../../app/errors';
import { useSetUserRoles } from '../queries';
import { RoleSelect } from './role-select';

export function UserRolesModal({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<{ roleCodes: string[] }>();
  const setRoles = useSetUserRoles();
  return (
    <Modal
      open
      title={t('users.editRolesTitle', { name: user.displayName })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={setRoles.isPending}
      destroyOnHidden
    >
      <Form<{ roleCodes: string[] }>
        form={form}
        layout="vertical"
        initialValues={{ roleCodes: user.roleCodes }}
        onFinish={({ roleCodes }) =>
          setRoles.mutate({ id: user.id, version: user.version, roleCodes }, { onSuccess: onSaved })
        }
        onValuesChange={() => setRoles.error && setRoles.reset()}
      >
        <Form.Item label={t('users.roles')} name="roleCodes">
          <RoleSelect />
        </Form.Item>
        {setRoles.error ? <Alert type="error" showIcon title={describeError(setRoles.error)} /> : null}
      </Form>
    </Modal>
  );
}
