import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../server/modules/users/users.schemas';
import { useErrorMessage } from '../../../app/errors';
import { usePermission } from '../../../app/session';
import { UnitTreeSelect } from '../../units/components/unit-tree-select';
import { useCreateUser, useUpdateUser } from '../queries';
import { RoleSelect } from './role-select';

interface UserFormValues {
  username: string;
  displayName: string;
  unitId: string | null;
  roleCodes: string[];
  password: string;
}

/** Create a user (with an initial password that must be changed) or edit name and unit. */
export function UserFormModal({
  user,
  onClose,
  onSaved,
}: {
  /** undefined: create a new user. */
  user: User | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const can = usePermission();
  const [form] = Form.useForm<UserFormValues>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  // Lists to choose from need their own read permissions. (Administrator roles can only be granted
  // with user.security; the server says so if someone without it tries.)
  const canPickUnit = can('unit.read');
  const canPickRoles = can('role.read');

  const submit = (values: UserFormValues) => {
    if (!user) {
      create.mutate(
        {
          username: values.username,
          displayName: values.displayName,
          unitId: values.unitId ?? null,
          roleCodes: values.roleCodes ?? [],
          password: values.password,
        },
        { onSuccess: onSaved },
      );
      return;
    }
    update.mutate(
      {
        id: user.id,
        version: user.version,
        ...(values.displayName !== user.displayName ? { displayName: values.displayName } : {}),
        ...(canPickUnit && (values.unitId ?? null) !== user.unitId ? { unitId: values.unitId ?? null } : {}),
      },
      { onSuccess: onSaved },
    );
  };

  return (
    <Modal
      open
      title={user ? t('users.edit') : t('users.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        initialValues={
          user ? { username: user.username, displayName: user.displayName, unitId: user.unitId } : { roleCodes: [] }
        }
        onFinish={submit}
        onValuesChange={() => mutation.error && mutation.reset()}
      >
        <Form.Item
          label={t('users.username')}
          name="username"
          extra={user ? undefined : t('users.usernameHint')}
          rules={[
            { required: true, message: t('common.fieldRequired', { field: t('users.username') }) },
            { pattern: /^[a-z][a-z0-9._-]{1,31}$/, message: t('users.usernameInvalid') },
          ]}
        >
          <Input disabled={Boolean(user)} autoComplete="off" autoCapitalize="none" spellCheck={false} />
        </Form.Item>
        <Form.Item
          label={t('users.displayName')}
          name="displayName"
          rules={[{ required: true, whitespace: true, max: 100, message: t('common.fieldRequired', { field: t('users.displayName') }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        {canPickUnit ? (
          <Form.Item label={t('users.unit')} name="unitId">
            <UnitTreeSelect allowClear />
          </Form.Item>
        ) : null}
        {!user && canPickRoles ? (
          <Form.Item label={t('users.roles')} name="roleCodes">
            <RoleSelect />
          </Form.Item>
        ) : null}
        {!user ? (
          <Form.Item
            label={t('users.initialPassword')}
            name="password"
            extra={t('users.initialPasswordHint')}
            rules={[{ required: true, message: t('common.fieldRequired', { field: t('users.initialPassword') }) }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        ) : null}
        {mutation.error ? <Alert type="error" showIcon title={describeError(mutation.error)} /> : null}
      </Form>
    </Modal>
  );
}
