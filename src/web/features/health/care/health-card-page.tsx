import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Collapse, DatePicker, Empty, Flex, Form, Input, Modal, Popconfirm, Result, Select, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../../domain/notices/week';
import { formatDateTime } from '../../../app/format';
import { LoadError, PageSpin } from '../../../app/status-pages';
import {
  ColourTag,
  DeclarationFields,
  declarationBody,
  emptyDeclaration,
  LevelTag,
  MatchedRules,
  StatusPanel,
  TRANSPORTS,
  useCareError,
  useLang,
  type DeclarationFormValues,
} from './care-parts';
import { TemperatureTrend } from './care-trend';
import {
  useDeclare,
  useDeleteStay,
  useMyDeclarations,
  useMyStatus,
  useMyTravel,
  useSubmitContest,
  useSubmitTravel,
  type ContestView,
  type DeclarationResult,
  type MyDeclarations,
  type StayBody,
  type Transport,
} from './care-queries';

/**
 * 我的健康卡: the phone page of the daily declaration. Emergency mode off → nothing to do; else
 * today's form (for me or a household member), the due time and an overdue banner, my status in
 * its colour with the rule and facts that gave it, a 30-day temperature trend, my itinerary for
 * the returning-staff screening, and contesting my status.
 */
export function HealthCardPage() {
  const { t } = useTranslation();
  const mine = useMyDeclarations();
  if (mine.isPending) return <PageSpin />;
  if (mine.isError) return <LoadError error={mine.error} onRetry={() => void mine.refetch()} />;
  const data = mine.data;
  return (
    <Flex vertical gap={16} className="care-card">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('healthCare.card.title')}
      </Typography.Title>
      {!data.incident ? (
        <Result status="info" title={t('healthCare.card.off')} subTitle={t('healthCare.card.offHint')} />
      ) : !data.person ? (
        <Empty description={t('healthCare.card.noPerson')} />
      ) : (
        <CardBody data={data} person={data.person} incident={data.incident} />
      )}
    </Flex>
  );
}

type Incident = NonNullable<MyDeclarations['incident']>;
type Me = NonNullable<MyDeclarations['person']>;

function CardBody({ data, person, incident }: { data: MyDeclarations; person: Me; incident: Incident }) {
  const { t } = useTranslation();
  const lang = useLang();
  const status = useMyStatus();
  const [result, setResult] = useState<{ person: { code: string; name: string }; answer: DeclarationResult } | null>(null);
  const forMe = result === null || result.person.code === person.code;
  // My status explained once it reflects the answer (it is fetched again after a declaration).
  const explained = status.data && !status.isFetching && (result === null || !forMe || status.data.status === result.answer.status) ? status.data : null;
  const colour = result?.answer.status ?? explained?.status ?? data.status?.status ?? null;
  const explanation = forMe ? (explained?.explanation[lang] ?? (result ? null : (data.status?.explanation?.[lang] ?? null))) : null;

  return (
    <>
      <DueBanner data={data} incident={incident} />
      {colour ? (
        <Flex vertical gap={8}>
          <StatusPanel
            colour={colour}
            explanation={explanation}
            caption={result && !forMe ? t('healthCare.card.resultFor', { name: result.person.name }) : explained ? t('healthCare.card.since', { time: formatDateTime(explained.since) }) : undefined}
          />
          {result?.answer.abnormalCaseId ? <Alert type="info" showIcon data-testid="case-opened" title={t('healthCare.card.caseOpened')} description={t('healthCare.card.caseOpenedHint')} /> : null}
          {forMe && explained ? (
            <Collapse
              size="small"
              items={[{ key: 'why', label: t('healthCare.card.why'), children: <MatchedRules matched={explained.matched} rules={[{ code: explained.rule, nameZh: explained.ruleName.zh, nameEn: explained.ruleName.en }]} /> }]}
            />
          ) : null}
        </Flex>
      ) : null}
      {!data.covered ? <Alert type="info" showIcon title={t('healthCare.card.notCovered', { name: incident.name })} /> : null}
      <DeclareCard data={data} person={person} onResult={setResult} />
      <Card size="small" title={t('healthCare.card.trend')}>
        {data.history.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthCare.card.trendEmpty')} />
        ) : (
          <TemperatureTrend rows={data.history} from={addDays(data.today, -29)} to={data.today} threshold={incident.feverThresholdC} height={200} />
        )}
      </Card>
      <ItineraryCard person={person} today={data.today} />
      <ContestCard person={person} contests={status.data?.contests ?? []} />
    </>
  );
}

function DueBanner({ data, incident }: { data: MyDeclarations; incident: Incident }) {
  const { t } = useTranslation();
  if (!data.covered) return null;
  if (data.overdue) return <Alert type="error" showIcon data-testid="overdue" title={t('healthCare.card.overdue', { time: incident.dueTime })} description={t('healthCare.card.overdueHint')} />;
  if (data.declaration)
    return <Alert type="success" showIcon title={t('healthCare.card.declared', { time: formatDateTime(data.declaration.updatedAt) })} description={t('healthCare.card.declaredHint', { time: incident.dueTime })} />;
  return <Alert type="warning" showIcon title={t('healthCare.card.due', { time: incident.dueTime })} />;
}

function DeclareCard({ data, person, onResult }: { data: MyDeclarations; person: Me; onResult: (r: { person: { code: string; name: string }; answer: DeclarationResult }) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const declare = useDeclare();
  const [form] = Form.useForm<DeclarationFormValues>();
  const [failure, setFailure] = useState<string | null>(null);
  const own = data.declaration;
  const mineValues: DeclarationFormValues = own
    ? {
        person: person.code,
        temperatureC: own.temperatureC,
        symptoms: own.symptoms as DeclarationFormValues['symptoms'],
        location: own.location ?? undefined,
        riskAreaContact: own.riskAreaContact,
        caseContact: own.caseContact,
      }
    : { person: person.code, ...emptyDeclaration, symptoms: [] };
  const people = [{ code: person.code, name: person.name, self: true, declaredToday: own !== null }, ...data.household.map((h) => ({ ...h, self: false }))];

  const submit = (v: DeclarationFormValues) => {
    setFailure(null);
    const who = people.find((p) => p.code === v.person) ?? people[0]!;
    declare.mutate(declarationBody(v, data.today), {
      onSuccess: (answer) => {
        void message.success(t('healthCare.card.submitted'));
        onResult({ person: { code: who.code, name: who.name }, answer });
        window.scrollTo({ top: 0, behavior: 'smooth' });
      },
      onError: (e) => setFailure(describe(e)),
    });
  };

  return (
    <Card size="small" title={t('healthCare.card.form', { date: data.today })}>
      <Form<DeclarationFormValues> name="declaration" key={own?.version ?? 0} form={form} layout="vertical" initialValues={mineValues} onFinish={submit} requiredMark={false}>
        {people.length > 1 ? (
          <Form.Item name="person" label={t('healthCare.card.for')} extra={t('healthCare.card.forHint')}>
            <Select
              onChange={(code: string) => form.setFieldsValue(code === person.code ? mineValues : { person: code, ...emptyDeclaration, symptoms: [], location: undefined })}
              options={people.map((p) => ({
                value: p.code,
                label: (
                  <Flex gap={6} align="center">
                    <span>{p.self ? t('healthCare.card.myself', { name: p.name }) : p.name}</span>
                    {p.declaredToday ? <Tag color="green">{t('healthCare.card.declaredTag')}</Tag> : null}
                  </Flex>
                ),
              }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="person" hidden>
            <Input />
          </Form.Item>
        )}
        <DeclarationFields idPrefix="card" />
        {failure ? <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} /> : null}
        <Button type="primary" htmlType="submit" size="large" block loading={declare.isPending}>
          {own ? t('healthCare.card.amend') : t('healthCare.card.submit')}
        </Button>
      </Form>
    </Card>
  );
}

interface StayForm {
  region: string;
  address?: string;
  dates: [Dayjs, Dayjs];
  transport: Transport;
  transportNo?: string;
}

/** My itinerary (旅居史) of the last days, each stay with the risk areas it falls in; stays are added here. */
function ItineraryCard({ person, today }: { person: Me; today: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const travel = useMyTravel(true);
  const submit = useSubmitTravel();
  const remove = useDeleteStay();
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<{ stays: StayForm[] }>();
  const [failure, setFailure] = useState<string | null>(null);
  const lookback = travel.data?.lookbackDays ?? 15;

  const save = (v: { stays: StayForm[] }) => {
    setFailure(null);
    const stays: StayBody[] = v.stays.map((s) => ({
      region: s.region.trim(),
      ...(s.address?.trim() ? { address: s.address.trim() } : {}),
      fromDate: s.dates[0].format('YYYY-MM-DD'),
      toDate: s.dates[1].format('YYYY-MM-DD'),
      transport: s.transport,
      ...(s.transportNo?.trim() ? { transportNo: s.transportNo.trim() } : {}),
    }));
    submit.mutate(
      { person: person.code, stays },
      {
        onSuccess: (r) => {
          const risky = r.rows.filter((x) => x.riskMatches.length > 0).length;
          void message.success(risky ? t('healthCare.travel.savedRisky', { count: risky }) : t('healthCare.travel.saved'));
          setAdding(false);
          form.resetFields();
        },
        onError: (e) => setFailure(describe(e)),
      },
    );
  };

  return (
    <Card
      size="small"
      title={t('healthCare.travel.title')}
      extra={
        <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)}>
          {t('healthCare.travel.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('healthCare.travel.intro', { days: lookback })}
      </Typography.Paragraph>
      {travel.isError ? (
        <LoadError error={travel.error} onRetry={() => void travel.refetch()} />
      ) : travel.isPending ? null : travel.data.rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthCare.travel.empty')} />
      ) : (
        <Flex vertical gap={8}>
          {travel.data.rows.map((r) => (
            <Flex key={r.id} justify="space-between" align="flex-start" gap={8} className="care-matched" data-testid="stay">
              <Flex vertical gap={2}>
                <Typography.Text strong>{r.region}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {r.fromDate} – {r.toDate} · {t(`healthCare.transports.${r.transport}`)}
                  {r.transportNo ? ` ${r.transportNo}` : ''}
                </Typography.Text>
                {r.address ? <Typography.Text style={{ fontSize: 13 }}>{r.address}</Typography.Text> : null}
                <Flex gap={4} wrap>
                  {r.riskMatches.map((m) => (
                    <span key={`${m.region}-${m.level}`}>
                      <LevelTag level={m.level} />
                      <Typography.Text style={{ fontSize: 12 }}>{t('healthCare.travel.match', { region: m.region, days: m.daysAgo })}</Typography.Text>
                    </span>
                  ))}
                </Flex>
              </Flex>
              <Popconfirm
                title={t('healthCare.travel.deleteConfirm')}
                okText={t('healthCare.travel.delete')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => remove.mutateAsync(r.id).then(() => void message.success(t('healthCare.travel.deleted')), (e: unknown) => void message.error(describe(e)))}
              >
                <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('healthCare.travel.delete')} />
              </Popconfirm>
            </Flex>
          ))}
        </Flex>
      )}
      <Modal
        open={adding}
        title={t('healthCare.travel.add')}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={submit.isPending}
        destroyOnHidden
      >
        <Form<{ stays: StayForm[] }> form={form} layout="vertical" onFinish={save} initialValues={{ stays: [{ transport: 'train' }] }}>
          <Form.List name="stays">
            {(fields, { add, remove: drop }) => (
              <Flex vertical gap={8}>
                {fields.map((field, i) => (
                  <Card
                    key={field.key}
                    size="small"
                    title={t('healthCare.travel.stay', { n: i + 1 })}
                    extra={fields.length > 1 ? <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('healthCare.travel.delete')} onClick={() => drop(field.name)} /> : null}
                  >
                    <Form.Item name={[field.name, 'region']} label={t('healthCare.travel.region')} extra={t('healthCare.travel.regionHint')} rules={[{ required: true, min: 2, whitespace: true, message: t('healthCare.travel.regionRequired') }]}>
                      <Input maxLength={100} placeholder="湖北省武汉市" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'address']} label={t('healthCare.travel.address')}>
                      <Input maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'dates']} label={t('healthCare.travel.dates')} rules={[{ required: true, message: t('healthCare.travel.datesRequired') }]}>
                      <DatePicker.RangePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > today} inputReadOnly />
                    </Form.Item>
                    <Flex gap={8}>
                      <Form.Item name={[field.name, 'transport']} label={t('healthCare.travel.transport')} style={{ flex: 1 }}>
                        <Select options={TRANSPORTS.map((x) => ({ value: x, label: t(`healthCare.transports.${x}`) }))} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'transportNo']} label={t('healthCare.travel.transportNo')} style={{ flex: 1 }}>
                        <Input maxLength={40} placeholder="G1234" />
                      </Form.Item>
                    </Flex>
                  </Card>
                ))}
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ transport: 'train', dates: undefined })}>
                  {t('healthCare.travel.addStay')}
                </Button>
              </Flex>
            )}
          </Form.List>
          {failure ? <Alert type="error" showIcon title={failure} style={{ marginTop: 12 }} /> : null}
        </Form>
      </Modal>
    </Card>
  );
}

/** Contest my status (申诉) and see what became of my contests. */
function ContestCard({ person, contests }: { person: Me; contests: readonly ContestView[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const submit = useSubmitContest();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const pending = contests.some((c) => c.decision === null);

  const send = () => {
    setFailure(null);
    submit.mutate(
      { person: person.code, reason: reason.trim() },
      {
        onSuccess: () => {
          void message.success(t('healthCare.contest.sent'));
          setOpen(false);
          setReason('');
        },
        onError: (e) => setFailure(describe(e)),
      },
    );
  };

  return (
    <Card
      size="small"
      title={t('healthCare.contest.title')}
      extra={
        <Button size="small" disabled={pending} onClick={() => setOpen(true)}>
          {t('healthCare.contest.open')}
        </Button>
      }
    >
      {pending ? <Typography.Paragraph type="secondary">{t('healthCare.contest.pendingHint')}</Typography.Paragraph> : null}
      {contests.length === 0 ? (
        <Typography.Text type="secondary">{t('healthCare.contest.none')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {contests.map((c) => (
            <ContestOutcome key={c.id} contest={c} />
          ))}
        </Flex>
      )}
      <Modal
        open={open}
        title={t('healthCare.contest.open')}
        onCancel={() => setOpen(false)}
        onOk={send}
        okText={t('healthCare.contest.send')}
        okButtonProps={{ disabled: !reason.trim() }}
        cancelText={t('common.cancel')}
        confirmLoading={submit.isPending}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          <Typography.Text>{t('healthCare.contest.intro')}</Typography.Text>
          <Input.TextArea aria-label={t('healthCare.contest.reason')} placeholder={t('healthCare.contest.reasonPlaceholder')} rows={4} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Flex>
      </Modal>
    </Card>
  );
}

function ContestOutcome({ contest: c }: { contest: ContestView }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={2} className="care-matched">
      <Flex gap={6} wrap align="center">
        <ColourTag colour={c.status} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(c.submittedAt)}
        </Typography.Text>
        {c.decision === null ? (
          <Tag color="processing">{t('healthCare.contest.states.open')}</Tag>
        ) : (
          <Tag color={c.decision === 'overturned' ? 'success' : 'default'}>{t(`healthCare.contest.states.${c.decision}`)}</Tag>
        )}
        {c.decision === 'overturned' && c.newStatus ? (
          <>
            <span aria-hidden>→</span>
            <ColourTag colour={c.newStatus} />
            {c.validUntil ? <Typography.Text style={{ fontSize: 12 }}>{t('healthCare.contest.until', { date: c.validUntil })}</Typography.Text> : null}
          </>
        ) : null}
      </Flex>
      <Typography.Text style={{ fontSize: 13 }}>{c.reason}</Typography.Text>
      {c.decisionNote ? (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('healthCare.contest.note', { note: c.decisionNote })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
