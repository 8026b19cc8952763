import { Flex, Tabs, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useTabParam } from '../../app/use-tab-param';
import { useIndicators } from '../indicators/queries';
import { BenchmarkLibrary } from './components/benchmark-library';
import { ComparableScopes } from './components/comparable-scopes';
import { useBenchmarks, useComparableScopes } from './queries';

type Tab = 'library' | 'comparable';

/** The 口径 in use (indicators', benchmark values', declared pairs') and how many benchmark values carry each. */
function useScopeTags(): { tags: string[]; usage: Map<string, number> } {
  const indicators = useIndicators();
  const benchmarks = useBenchmarks();
  const pairs = useComparableScopes();
  return useMemo(() => {
    const usage = new Map<string, number>();
    const tags = new Set<string>();
    for (const indicator of indicators.data ?? []) if (indicator.scopeTag) tags.add(indicator.scopeTag);
    for (const pair of pairs.data ?? []) tags.add(pair.scopeA).add(pair.scopeB);
    for (const benchmark of benchmarks.data ?? []) {
      for (const value of benchmark.values) {
        if (!value.scopeTag) continue;
        tags.add(value.scopeTag);
        usage.set(value.scopeTag, (usage.get(value.scopeTag) ?? 0) + 1);
      }
    }
    return { tags: [...tags].sort(), usage };
  }, [indicators.data, benchmarks.data, pairs.data]);
}

/** 标杆库: the benchmarks units compare against, with their values, and the 口径 declared comparable. */
export function BenchmarksPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useTabParam<Tab>(['library', 'comparable']);
  const scopes = useScopeTags();
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('benchmarks.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('benchmarks.intro')}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'library', label: t('benchmarks.tabLibrary'), children: <BenchmarkLibrary scopeTags={scopes.tags} /> },
          { key: 'comparable', label: t('benchmarks.tabComparable'), children: <ComparableScopes scopeTags={scopes.tags} usage={scopes.usage} /> },
        ]}
      />
    </Flex>
  );
}
