import { DashboardOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Flex, Row, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMe, usePermission } from '../../app/session';
import { useUnits } from '../units/queries';
import { unitName } from '../units/unit-tree';
import { useRoles } from '../users/queries';
import { roleName } from '../users/role-name';

const plannedModules = ['orientations', 'energy', 'health'] as const;

/** Welcome: who is signed in, where to go, and what is being built. */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const can = usePermission();
  // Names need read access; without it the codes are shown.
  const units = useUnits({ enabled: can('unit.read') });
  const roles = useRoles({ enabled: can('role.read') });
  const unit = me.unitId ? units.data?.find((candidate) => candidate.id === me.unitId) : undefined;

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: me.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('home.intro')}
        </Typography.Paragraph>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16} xl={12}>
          <Card size="small" title={t('home.profile')} style={{ height: '100%' }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'username', label: t('home.username'), children: me.username },
                {
                  key: 'unit',
                  label: t('home.unit'),
                  children: unit ? `${unitName(unit, i18n.language)} (${unit.code})` : (me.unitCode ?? t('home.noUnit')),
                },
                {
                  key: 'roles',
                  label: t('home.roles'),
                  children:
                    me.roles.length > 0 ? (
                      <Flex gap={4} wrap>
                        {me.roles.map((assigned) => {
                          const role = roles.data?.find((candidate) => candidate.code === assigned.code);
                          return (
                            <Tag key={assigned.code}>
                              {role ? roleName(role, i18n.language) : assigned.code} · {t(`roles.scopes.${assigned.scope}`)}
                            </Tag>
                          );
                        })}
                      </Flex>
                    ) : (
                      t('home.noRoles')
                    ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {can('indicator.read') ? (
        <Card size="small" title={t('home.availableTitle')}>
          <Typography.Paragraph type="secondary">{t('home.availableNote')}</Typography.Paragraph>
          <Flex gap={8} wrap>
            <Link to="/scorecard">
              <Button type="primary" icon={<DashboardOutlined aria-hidden />}>
                {t('home.openScorecard')}
              </Button>
            </Link>
            <Link to="/entry">
              <Button icon={<EditOutlined aria-hidden />}>{t('home.openEntry')}</Button>
            </Link>
          </Flex>
        </Card>
      ) : null}
      <Card size="small" title={t('home.modulesTitle')}>
        <Typography.Paragraph type="secondary">{t('home.modulesNote')}</Typography.Paragraph>
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {plannedModules.map((module) => (
            <li key={module}>
              <Typography.Text>{t(`home.modules.${module}`)}</Typography.Text>
            </li>
          ))}
        </ul>
      </Card>
    </Flex>
  );
}
