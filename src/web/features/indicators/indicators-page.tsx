import { Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTabParam } from '../../app/use-tab-param';
import { IndicatorLibrary } from './components/indicator-library';
import { IndicatorSetEditor } from './components/indicator-set-editor';

type Tab = 'library' | 'sets';

/** 指标库: the indicators every unit can report, and each unit's set of them. */
export function IndicatorsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useTabParam<Tab>(['library', 'sets']);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('indicators.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'library', label: t('indicators.tabLibrary'), children: <IndicatorLibrary /> },
          { key: 'sets', label: t('indicators.tabSets'), children: <IndicatorSetEditor /> },
        ]}
      />
    </Flex>
  );
}
