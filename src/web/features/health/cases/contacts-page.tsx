import { ApartmentOutlined, FileTextOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, List, Row, Select, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { escapeHtml } from '../../../app/charts';
import { LoadError } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import type { GraphOption } from './chain-graph-view';
import { chainSymbol, ClassificationTag, HealthColourTag, NoIncidentNote, PersonName, QuarantineLink } from './cases-parts';
import { useChain, useIncidents, usePersonCases, type ChainClassification, type ChainGraph } from './cases-queries';

const ChainGraphView = lazy(async () => ({ default: (await import('./chain-graph-view')).ChainGraphView }));

const statusFill = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' } as const;
const noStatus = '#bfbfbf';
const CHAIN_CLASSES = Object.keys(chainSymbol) as ChainClassification[];
const symbolSize: Record<ChainClassification, number> = { confirmed: 36, suspected: 30, contact: 22, unclassified: 22, excluded: 18 };

/** The graph's option: people as nodes (fill = status, shape = classification, purple ring = in quarantine), exposures as arrows. */
function useGraphOption(graph: ChainGraph, cluster: number | undefined, selected: string | undefined): GraphOption {
  const { t } = useTranslation();
  return useMemo(() => {
    const categories = CHAIN_CLASSES.map((c) => ({ name: t(`healthCases.chainClasses.${c}`), symbol: chainSymbol[c], itemStyle: { color: '#8c8c8c' } }));
    const faded = (inCluster: boolean) => (cluster === undefined || inCluster ? 1 : 0.15);
    const clusterOf = new Map(graph.nodes.map((n) => [n.code, n.cluster]));
    return {
      animation: false,
      legend: [{ data: categories.map((c) => c.name), top: 0, left: 0 }],
      tooltip: {
        formatter: (p: unknown) => {
          const x = p as { dataType: string; data: { name?: string; id?: string; tip?: string } };
          return x.data.tip ?? x.data.name ?? '';
        },
      },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          categories,
          // A circular start without animation: the same picture after every click (selection, cluster).
          force: { initLayout: 'circular', layoutAnimation: false, repulsion: 260, edgeLength: [70, 150], gravity: 0.08 },
          label: { show: true, position: 'bottom', fontSize: 11 },
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: [0, 8],
          edgeLabel: { show: true, fontSize: 10, color: '#595959', formatter: (p: unknown) => (p as { data: { label?: string } }).data.label ?? '' },
          emphasis: { focus: 'adjacency' },
          data: graph.nodes.map((n) => ({
            id: n.code,
            name: n.name,
            category: CHAIN_CLASSES.indexOf(n.classification),
            symbol: chainSymbol[n.classification],
            symbolSize: symbolSize[n.classification],
            itemStyle: {
              color: n.status ? statusFill[n.status] : noStatus,
              borderColor: n.code === selected ? '#000' : n.inQuarantine ? '#722ed1' : '#fff',
              borderWidth: n.code === selected ? 3 : n.inQuarantine ? 3 : 1,
              opacity: faded(n.cluster === cluster),
            },
            label: { opacity: faded(n.cluster === cluster) },
            tip: `${escapeHtml(n.name)} ${escapeHtml(n.code)}<br/>${t(`healthCases.chainClasses.${n.classification}`)}${n.status ? ` · ${t(`healthCases.colours.${n.status}`)}` : ''}${n.inQuarantine ? ` · ${t('healthCases.cases.inQuarantine')}` : ''}`,
          })),
          links: graph.edges.map((e) => ({
            source: e.source,
            target: e.target,
            label: `${t(`healthCases.exposureTypes.${e.type}`)} ${e.date.slice(5)}`,
            tip: `${escapeHtml(e.source)} → ${escapeHtml(e.target)}<br/>${e.date} · ${t(`healthCases.exposureTypes.${e.type}`)} · ${t(`healthCases.certainties.${e.certainty}`)}`,
            lineStyle: { type: e.close ? 'solid' : 'dashed', width: e.certainty === 'high' ? 2.5 : e.certainty === 'medium' ? 1.8 : 1, color: '#8c8c8c', opacity: faded(clusterOf.get(e.source) === cluster) },
          })),
        },
      ],
    } as GraphOption;
  }, [graph, cluster, selected, t]);
}

/** The clicked person: their status, and the way to their tracking card and quarantine. */
function SelectedPerson({ graph, code, incident }: { graph: ChainGraph; code: string; incident: string }) {
  const { t } = useTranslation();
  const node = graph.nodes.find((n) => n.code === code);
  const cases = usePersonCases(code, incident);
  if (!node) return null;
  const own = (cases.data?.rows ?? []).filter((r) => r.person.code === code);
  const latest = own[0];
  return (
    <Card size="small" title={t('healthCases.contacts.selected')} data-testid="chain-selected">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('healthCases.common.person')}>
          <PersonName person={node} />
        </Descriptions.Item>
        <Descriptions.Item label={t('healthCases.common.classification')}>
          {node.classification === 'contact' ? <Tag color="purple">{t('healthCases.chainClasses.contact')}</Tag> : <ClassificationTag value={node.classification} />}
        </Descriptions.Item>
        <Descriptions.Item label={t('healthCases.card.healthStatus')}>{node.status ? <HealthColourTag colour={node.status} /> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('healthCases.contacts.cluster')}>{t('healthCases.contacts.clusterName', { id: node.cluster })}</Descriptions.Item>
      </Descriptions>
      <Flex gap={8} wrap>
        {latest ? (
          <Link to={`/health/cases/${latest.id}`}>
            <Button size="small" type="primary" icon={<FileTextOutlined aria-hidden />}>
              {t('healthCases.contacts.openCard', { number: latest.number })}
            </Button>
          </Link>
        ) : cases.isPending ? null : (
          <Typography.Text type="secondary">{t('healthCases.contacts.noCase')}</Typography.Text>
        )}
        <QuarantineLink code={code} />
      </Flex>
    </Card>
  );
}

/** 密接与传播链: who exposed whom in an incident as a graph, with its clusters. */
export function ContactsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const incidents = useIncidents();
  const incidentParam = params.get('incident') ?? undefined;
  const chain = useChain(incidentParam);
  const clusterParam = params.get('cluster');
  const cluster = clusterParam === null ? undefined : Number(clusterParam);
  const selected = params.get('person') ?? undefined;
  const noIncident = chain.error instanceof ApiError && chain.error.code === 'NO_ACTIVE_INCIDENT';

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCases.contacts.title')}
        </Typography.Title>
        <Form layout="inline">
          <Form.Item label={t('healthCases.contacts.incident')} htmlFor="chain-incident">
            <Select<string>
              id="chain-incident"
              value={incidentParam ?? chain.data?.incident.id}
              onChange={(v) => set('incident', v, { clear: ['cluster', 'person'] })}
              loading={incidents.isPending}
              placeholder={t('healthCases.contacts.activeIncident')}
              style={{ minWidth: 240 }}
              options={(incidents.data?.rows ?? []).map((i) => ({ value: i.id, label: `${i.name} (${i.startDate}${i.status === 'active' ? '' : ` · ${t(`healthCases.incidentStatuses.${i.status}`)}`})` }))}
            />
          </Form.Item>
        </Form>
      </Flex>
      <Typography.Text type="secondary">{t('healthCases.contacts.intro')}</Typography.Text>
      {noIncident ? (
        <NoIncidentNote />
      ) : chain.isError ? (
        <LoadError error={chain.error} onRetry={() => void chain.refetch()} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {(['nodes', 'edges', 'clusters', 'largest'] as const).map((k) => (
              <Col xs={12} md={6} key={k}>
                <Card size="small">
                  <Statistic title={t(`healthCases.contacts.totals.${k}`)} value={chain.data?.totals[k] ?? '—'} loading={chain.isPending} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={17}>
              <Card size="small" title={chain.data?.incident.name ?? t('healthCases.contacts.graph')}>
                {chain.data && chain.data.nodes.length > 0 ? (
                  <>
                    <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
                      <Typography.Text type="secondary">{t('healthCases.contacts.legendFill')}</Typography.Text>
                      {(['red', 'yellow', 'green'] as const).map((c) => (
                        <Tag key={c} color={statusFill[c]}>
                          {t(`healthCases.colours.${c}`)}
                        </Tag>
                      ))}
                      <Tag color={noStatus}>{t('healthCases.contacts.noStatus')}</Tag>
                      <Tag style={{ borderColor: '#722ed1', borderWidth: 2 }}>{t('healthCases.contacts.ringQuarantine')}</Tag>
                      <Typography.Text type="secondary">{t('healthCases.contacts.legendEdges')}</Typography.Text>
                    </Flex>
                    <Suspense fallback={<div style={{ height: 520 }} aria-busy />}>
                      <ChainGraphViewWith graph={chain.data} cluster={cluster} selected={selected} onNode={(code) => set('person', code)} />
                    </Suspense>
                  </>
                ) : (
                  <Empty description={chain.isPending ? t('healthCases.common.loading') : t('healthCases.contacts.empty')} />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={7}>
              <Flex vertical gap={12}>
                {chain.data && selected ? <SelectedPerson graph={chain.data} code={selected} incident={chain.data.incident.id} /> : <Alert type="info" showIcon title={t('healthCases.contacts.clickHint')} />}
                <Card size="small" title={t('healthCases.contacts.clusters')} extra={cluster !== undefined ? <Button size="small" type="link" onClick={() => set('cluster', null)}>{t('healthCases.contacts.showAll')}</Button> : null}>
                  <List
                    size="small"
                    loading={chain.isPending}
                    dataSource={chain.data?.clusters ?? []}
                    locale={{ emptyText: t('healthCases.contacts.noClusters') }}
                    renderItem={(c) => (
                      <List.Item
                        data-testid="chain-cluster"
                        style={{ cursor: 'pointer', background: c.id === cluster ? '#e6f4ff' : undefined }}
                        onClick={() => set('cluster', c.id === cluster ? null : String(c.id))}
                        extra={<Tag color="blue">{t('healthCases.contacts.size', { count: c.size })}</Tag>}
                      >
                        <Flex vertical gap={2}>
                          <Typography.Text strong>
                            <ApartmentOutlined aria-hidden /> {t('healthCases.contacts.clusterName', { id: c.id })}
                          </Typography.Text>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {t('healthCases.contacts.clusterEdges', { count: c.edges })} · {c.members.slice(0, 6).join('、')}
                            {c.members.length > 6 ? ' …' : ''}
                          </Typography.Text>
                        </Flex>
                      </List.Item>
                    )}
                  />
                </Card>
              </Flex>
            </Col>
          </Row>
        </>
      )}
    </Flex>
  );
}

function ChainGraphViewWith({ graph, cluster, selected, onNode }: { graph: ChainGraph; cluster: number | undefined; selected: string | undefined; onNode: (code: string) => void }) {
  const { t } = useTranslation();
  const option = useGraphOption(graph, cluster, selected);
  return <ChainGraphView option={option} height={520} label={t('healthCases.contacts.graphLabel', { nodes: graph.totals.nodes, edges: graph.totals.edges })} onNode={onNode} />;
}
