import { Alert, Checkbox, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Scope } from '../../../../server/modules/auth/auth.schemas';
import type { Role } from '../../../../server/modules/roles/roles.schemas';
import { useErrorMessage } from '../../../app/errors';
import { useCreateRole, usePermissions, useUpdateRole } from '../queries';
import { roleName } from '../role-name';

interface RoleFormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  scope: Scope;
  permissions: string[];
}

// Every scope, narrowest first; the type makes sure none is missing.
const scopeRank: Record<Scope, number> = { own: 0, subtree: 1, all: 2 };
const scopes = Object.keys(scopeRank) as Scope[];

/**
 * Create a custom role, edit one, or look at a built-in role (read-only: `readOnly`).
 */
export function RoleFormModal({
  role,
  readOnly,
  onClose,
  onSaved,
}: {
  role: Role | undefined;
  readOnly: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<RoleFormValues>();
  const permissions = usePermissions();
  const create = useCreateRole();
  const update = useUpdateRole();
  const mutation = role ? update : create;

  const submit = (values: RoleFormValues) => {
    if (!role) {
      create.mutate(values, { onSuccess: onSaved });
      return;
    }
    update.mutate(
      {
        code: role.code,
        version: role.version,
        nameZh: values.nameZh,
        nameEn: values.nameEn,
        scope: values.scope,
        permissions: values.permissions,
      },
      { onSuccess: onSaved },
    );
  };

  const title = readOnly ? t('roles.view') : role ? t('roles.edit') : t('roles.create');
  return (
    <Modal
      open
      title={role ? `${title} · ${roleName(role, i18n.language)}` : title}
      okText={t('common.save')}
      cancelText={readOnly ? t('common.close') : t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={readOnly ? { style: { display: 'none' } } : undefined}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      destroyOnHidden
      mask={{ closable: readOnly }}
      width={640}
    >
      {readOnly ? <Alert type="info" showIcon title={t('roles.builtInReadOnly')} style={{ marginBottom: 16 }} /> : null}
      <Form<RoleFormValues>
        form={form}
        layout="vertical"
        disabled={readOnly}
        initialValues={role ?? { scope: 'own', permissions: [] }}
        onFinish={submit}
        onValuesChange={() => mutation.error && mutation.reset()}
      >
        <Form.Item
          label={t('roles.code')}
          name="code"
          extra={role ? undefined : t('roles.codeHint')}
          rules={[
            { required: true, message: t('common.fieldRequired', { field: t('roles.code') }) },
            { pattern: /^[a-z][a-z0-9-]{1,39}$/, message: t('roles.codeInvalid') },
          ]}
        >
          <Input disabled={Boolean(role)} autoComplete="off" autoCapitalize="none" spellCheck={false} />
        </Form.Item>
        <Form.Item
          label={t('roles.nameZh')}
          name="nameZh"
          rules={[{ required: true, whitespace: true, max: 100, message: t('common.fieldRequired', { field: t('roles.nameZh') }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('roles.nameEn')}
          name="nameEn"
          rules={[{ required: true, whitespace: true, max: 200, message: t('common.fieldRequired', { field: t('roles.nameEn') }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('roles.scope')} name="scope" rules={[{ required: true }]}>
          <Select options={scopes.map((scope) => ({ value: scope, label: t(`roles.scopes.${scope}`) }))} />
        </Form.Item>
        <Form.Item label={t('roles.permissions')} name="permissions">
          <Checkbox.Group
            style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 8 }}
            options={(permissions.data ?? []).map((permission) => ({
              value: permission.code,
              label: `${roleName(permission, i18n.language)} (${permission.code})`,
            }))}
          />
        </Form.Item>
        {permissions.error ? <Alert type="warning" showIcon title={describeError(permissions.error)} /> : null}
        {mutation.error ? <Alert type="error" showIcon title={describeError(mutation.error)} /> : null}
      </Form>
    </Modal>
  );
}
