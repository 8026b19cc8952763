import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRoles } from '../queries';
import { roleName } from '../role-name';

/** Several roles, by name; a form control (value/onChange/id from Form.Item). */
export function RoleSelect({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const roles = useRoles();
  return (
    <Select<string[]>
      id={id}
      mode="multiple"
      value={value}
      onChange={onChange}
      loading={roles.isPending}
      showSearch={{ optionFilterProp: 'label' }}
      options={(roles.data ?? []).map((role) => ({
        value: role.code,
        label: `${roleName(role, i18n.language)} (${t(`roles.scopes.${role.scope}`)})`,
      }))}
      style={{ width: '100%' }}
    />
  );
}
