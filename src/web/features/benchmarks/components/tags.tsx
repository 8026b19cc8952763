import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Stage } from '../../benchmarking/vocabulary';
import type { Benchmark, BenchmarkKind } from '../queries';

/** A benchmark's kind, or the unit's own historical best (which the library does not store). */
export type KindOrHistoryBest = BenchmarkKind | 'history_best';

// A Record, so that the type checker finds a kind the API gains.
const kindColors: Record<KindOrHistoryBest, string> = {
  history_best: 'gold',
  sibling: 'cyan',
  peer: 'blue',
  industry: 'purple',
  world: 'magenta',
};

/** The kinds one can add to the library, in the order of the newspaper: nearest peers first. */
export const benchmarkKindList: BenchmarkKind[] = ['sibling', 'peer', 'industry', 'world'];

const stageColors: Record<Stage, string> = {
  selected: 'default',
  comparing: 'processing',
  attained: 'success',
  chasing: 'volcano',
};

/** 选标 → 对标 → 达标 → 追标, in order. */
export const stageList = Object.keys(stageColors) as Stage[];

export function BenchmarkKindTag({ kind }: { kind: KindOrHistoryBest }) {
  const { t } = useTranslation();
  return <Tag color={kindColors[kind]}>{t(`benchmarking.benchmarkKinds.${kind}`)}</Tag>;
}

export function StageTag({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  return <Tag color={stageColors[stage]}>{t(`benchmarking.stages.${stage}`)}</Tag>;
}

/** The benchmark's name in the UI language (the Chinese one when there is no English name). */
export function benchmarkName(benchmark: Pick<Benchmark, 'nameZh' | 'nameEn'>, locale: string): string {
  return locale === 'en-US' && benchmark.nameEn ? benchmark.nameEn : benchmark.nameZh;
}
