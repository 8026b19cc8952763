import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../app/api-client';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useCreatePrice, useCreateRate, useEarnings, usePrices, usePutOutput, usePutPoints, useRates, useSheet } from './queries';

const decimalRule = { pattern: /^\d{1,12}(\.\d{1,4})?$/, message: '0.0000' };

/** Output and points entry for the team and month shown (new lines without a version, changes with it). */
function EntryForms({ team, period }: { team: string; period: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorMessage();
  const sheet = useSheet(team, period);
  const putOutput = usePutOutput();
  const putPoints = usePutPoints();
  const done = { onSuccess: () => void message.success(t('results.pieceRates.saved')), onError: (e: unknown) => void message.error(errorText(e)) };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12}>
        <Card size="small" title={t('results.pieceRates.addOutput')}>
          <Form
            layout="vertical"
            onFinish={(v: { product: string; grade: string; quantity: string }) => {
              const existing = sheet.data?.outputs.find((o) => o.product === v.product && o.grade === v.grade);
              putOutput.mutate({ team, period, ...v, ...(existing ? { version: existing.version } : {}) }, done);
            }}
          >
            <Form.Item name="product" label={t('results.pieceRates.product')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="grade" label={t('results.pieceRates.grade')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="quantity" label={t('results.pieceRates.quantity')} rules={[{ required: true }, decimalRule]}>
              <Input inputMode="decimal" />
            </Form.Item>
            <Button htmlType="submit" type="primary" loading={putOutput.isPending}>
              {t('results.common.save')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card size="small" title={t('results.pieceRates.addPoints')}>
          <Form
            layout="vertical"
            onFinish={(v: { person: string; points: string }) => {
              const existing = sheet.data?.points.find((p) => p.person === v.person);
              putPoints.mutate({ team, period, ...v, ...(existing ? { version: existing.version } : {}) }, done);
            }}
          >
            <Form.Item name="person" label={t('results.pieceRates.person')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="points" label={t('results.pieceRates.points')} rules={[{ required: true, pattern: /^\d{1,8}(\.\d{1,2})?$/ }]}>
              <Input inputMode="decimal" />
            </Form.Item>
            <Button htmlType="submit" type="primary" loading={putPoints.isPending}>
              {t('results.common.save')}
            </Button>
          </Form>
        </Card>
      </Col>
    </Row>
  );
}

/** Rate and grade-price forms for those who maintain them (evaluation.write). */
function RateForms({ teams }: { teams: string[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorMessage();
  const createRate = useCreateRate();
  const createPrice = useCreatePrice();
  const done = { onSuccess: () => void message.success(t('results.pieceRates.saved')), onError: (e: unknown) => void message.error(errorText(e)) };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12}>
        <Card size="small" title={t('results.pieceRates.addRate')}>
          <Form layout="vertical" onFinish={(v: { team: string; product: string; uom: string; rate: string; validFrom: string }) => createRate.mutate(v, done)}>
            <Form.Item name="team" label={t('results.pieceRates.team')} rules={[{ required: true }]}>
              <Select showSearch options={teams.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
            <Space wrap>
              <Form.Item name="product" label={t('results.pieceRates.product')} rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name="uom" label={t('results.pieceRates.uom')} rules={[{ required: true }]}>
                <Input style={{ width: 80 }} />
              </Form.Item>
              <Form.Item name="rate" label={t('results.pieceRates.rate')} rules={[{ required: true }, decimalRule]}>
                <Input inputMode="decimal" style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="validFrom" label={t('results.pieceRates.validFrom')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}>
                <Input placeholder="YYYY-MM-DD" style={{ width: 130 }} />
              </Form.Item>
            </Space>
            <Button htmlType="submit" loading={createRate.isPending}>
              {t('results.common.save')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card size="small" title={t('results.pieceRates.addPrice')}>
          <Form layout="vertical" onFinish={(v: { product: string; grade: string; price: string; validFrom: string }) => createPrice.mutate(v, done)}>
            <Space wrap>
              <Form.Item name="product" label={t('results.pieceRates.product')} rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name="grade" label={t('results.pieceRates.grade')} rules={[{ required: true }]}>
                <Input style={{ width: 110 }} />
              </Form.Item>
              <Form.Item name="price" label={t('results.pieceRates.price')} rules={[{ required: true, pattern: /^-?\d{1,10}(\.\d{1,4})?$/ }]}>
                <Input inputMode="decimal" style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="validFrom" label={t('results.pieceRates.validFrom')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}>
                <Input placeholder="YYYY-MM-DD" style={{ width: 130 }} />
              </Form.Item>
            </Space>
            <Button htmlType="submit" loading={createPrice.isPending}>
              {t('results.common.save')}
            </Button>
          </Form>
        </Card>
      </Col>
    </Row>
  );
}

/** 计件工资: rates, prices, a team's month of output and points, the earnings with their arithmetic and the payroll export. */
export function PieceRatesPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const { message } = App.useApp();
  const errorText = useErrorMessage();
  const rates = useRates();
  const prices = usePrices();
  const teams = [...new Set((rates.data ?? []).map((r) => r.team))];
  const [picked, setPicked] = useState<string>();
  const [period, setPeriod] = useState('2020-02');
  const team = picked ?? teams[0];
  const validPeriod = /^\d{4}-(0[1-9]|1[0-2])$/.test(period) ? period : undefined;
  const earnings = useEarnings(team, validPeriod);
  if (rates.isPending || prices.isPending) return <PageSpin />;
  if (rates.isError) return <LoadError error={rates.error} onRetry={() => void rates.refetch()} />;
  const e = earnings.data;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('results.pieceRates.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('results.pieceRates.intro')}</Typography.Paragraph>
      <Space wrap>
        <Select aria-label={t('results.pieceRates.team')} value={team} onChange={setPicked} style={{ minWidth: 180 }} options={teams.map((c) => ({ value: c, label: c }))} placeholder={t('results.pieceRates.team')} />
        <Input aria-label={t('results.common.period')} value={period} onChange={(ev) => setPeriod(ev.target.value)} placeholder="YYYY-MM" style={{ width: 120 }} />
        {validPeriod && (
          <Button icon={<DownloadOutlined />} onClick={() => void downloadFile('/api/piece-rates/earnings.xlsx', { period: validPeriod }, `pacesetter-payroll-${validPeriod}.xlsx`).catch((err: unknown) => void message.error(errorText(err)))}>
            {t('results.pieceRates.export')}
          </Button>
        )}
      </Space>
      {!team || !validPeriod ? (
        <Alert type="info" showIcon title={t('results.pieceRates.pickTeam')} />
      ) : earnings.isError ? (
        <LoadError error={earnings.error} onRetry={() => void earnings.refetch()} />
      ) : (
        <Card size="small" title={`${t('results.pieceRates.earnings')} · ${e?.teamName ?? team} · ${validPeriod}`} loading={earnings.isPending}>
          {e && (
            <Flex vertical gap={12}>
              <Row gutter={16}>
                <Col xs={8}>
                  <Statistic title={t('results.pieceRates.piece')} value={e.pieceTotal} />
                </Col>
                <Col xs={8}>
                  <Statistic title={t('results.pieceRates.quality')} value={e.qualityTotal} />
                </Col>
                <Col xs={8}>
                  <Statistic title={t('results.common.total')} value={e.total} suffix={t('results.common.yuan')} />
                </Col>
              </Row>
              <Table
                size="small"
                rowKey={(l) => `${l.product}/${l.grade}`}
                pagination={false}
                dataSource={e.lines}
                scroll={{ x: 720 }}
                columns={[
                  { key: 'product', title: t('results.pieceRates.product'), dataIndex: 'product' },
                  { key: 'grade', title: t('results.pieceRates.grade'), dataIndex: 'grade' },
                  { key: 'q', title: t('results.pieceRates.quantity'), align: 'right', render: (_v, l) => `${l.quantity} ${l.uom ?? ''}` },
                  { key: 'rate', title: t('results.pieceRates.rate'), align: 'right', render: (_v, l) => (l.rate === null ? <Tag color="orange">{t('results.pieceRates.noRate')}</Tag> : l.rate) },
                  { key: 'price', title: t('results.pieceRates.price'), dataIndex: 'qualityPrice', align: 'right' },
                  { key: 'amount', title: t('results.pieceRates.amount'), dataIndex: 'amount', align: 'right' },
                  { key: 'why', title: t('results.common.arithmetic'), render: (_v, l) => <Typography.Text type="secondary">{l.arithmetic}</Typography.Text> },
                ]}
              />
              <Typography.Text code style={{ whiteSpace: 'normal' }}>
                {e.arithmetic}
              </Typography.Text>
              {e.allocationProblem ? (
                <Alert type="warning" showIcon title={t(e.allocationProblem === 'NO_MEMBERS' ? 'results.pieceRates.noMembers' : 'results.pieceRates.noPoints')} />
              ) : (
                <Table
                  size="small"
                  rowKey="person"
                  pagination={false}
                  dataSource={e.members}
                  scroll={{ x: 560 }}
                  summary={() => (
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0} colSpan={2}>
                        {t('results.common.total')}
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={2} align="right">
                        {e.totalPoints}
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={3} align="right">
                        <strong>{e.total}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={4} />
                    </Table.Summary.Row>
                  )}
                  columns={[
                    { key: 'person', title: t('results.pieceRates.person'), dataIndex: 'person' },
                    { key: 'name', title: t('results.pieceRates.name'), render: (_v, m) => m.personName ?? '—' },
                    { key: 'points', title: t('results.pieceRates.points'), dataIndex: 'points', align: 'right' },
                    { key: 'amount', title: t('results.pieceRates.share'), dataIndex: 'amount', align: 'right' },
                    { key: 'why', title: t('results.common.arithmetic'), render: (_v, m) => <Typography.Text type="secondary">{m.arithmetic}</Typography.Text> },
                  ]}
                />
              )}
            </Flex>
          )}
        </Card>
      )}
      {team && validPeriod && can('measurement.enter') && <EntryForms team={team} period={validPeriod} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('results.pieceRates.rates')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={rates.data}
              scroll={{ x: 480 }}
              columns={[
                { key: 'team', title: t('results.pieceRates.team'), dataIndex: 'team' },
                { key: 'product', title: t('results.pieceRates.product'), render: (_v, r) => `${r.product}（${r.uom}）` },
                { key: 'rate', title: t('results.pieceRates.rate'), dataIndex: 'rate', align: 'right' },
                { key: 'valid', title: t('results.pieceRates.validFrom'), render: (_v, r) => `${r.validFrom} – ${r.validTo ?? ''}` },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('results.pieceRates.prices')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={prices.data ?? []}
              scroll={{ x: 480 }}
              columns={[
                { key: 'product', title: t('results.pieceRates.product'), dataIndex: 'product' },
                { key: 'grade', title: t('results.pieceRates.grade'), dataIndex: 'grade' },
                { key: 'price', title: t('results.pieceRates.price'), dataIndex: 'price', align: 'right' },
                { key: 'valid', title: t('results.pieceRates.validFrom'), render: (_v, r) => `${r.validFrom} – ${r.validTo ?? ''}` },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {can('evaluation.write') && <RateForms teams={teams} />}
    </Flex>
  );
}
