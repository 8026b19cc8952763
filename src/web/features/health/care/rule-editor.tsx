import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FACT_NAMES, factKinds, factLabels, opsByKind, RISK_LEVELS, symptomCodes, validateRule } from '../../../../domain/health/status-rules';
import type { Clause, ClauseOp, FactName, HealthColour } from '../../../../domain/health/types';
import { ColourTag, conditionWords, detailProblems, HEALTH_COLOURS, opLabel, useCareError, useLang } from './care-parts';
import { useSaveRule, type CreateRuleBody, type RuleView } from './care-queries';

/** A clause as the form holds it: a level of "none" is the string 'none' (a select cannot hold null). */
interface ClauseForm {
  fact: FactName;
  op: ClauseOp;
  value?: number | boolean | string | string[] | null;
}
export interface RuleForm {
  code: string;
  nameZh: string;
  nameEn: string;
  status: HealthColour;
  priority: number;
  enabled: boolean;
  all: ClauseForm[];
  any: ClauseForm[];
}

const NONE = 'none';

function clauseOf(c: ClauseForm): Clause {
  const kind = factKinds[c.fact];
  if (c.op === 'nonEmpty' || c.op === 'empty') return { fact: c.fact, op: c.op };
  const value = kind === 'level' && c.value === NONE ? null : c.value;
  return { fact: c.fact, op: c.op, value: value === undefined ? undefined : value };
}

function formClause(c: { fact: string; op: string; value?: unknown }): ClauseForm {
  const fact = c.fact as FactName;
  const value = c.value === null && factKinds[fact] === 'level' ? NONE : (c.value as ClauseForm['value']);
  return { fact, op: c.op as ClauseOp, value };
}

/** The rule the form describes, as the API takes it (validated by the domain's validateRule). */
export function ruleOf(v: Partial<RuleForm>): CreateRuleBody {
  const all = (v.all ?? []).filter((c) => c?.fact && c.op).map(clauseOf);
  const any = (v.any ?? []).filter((c) => c?.fact && c.op).map(clauseOf);
  return {
    code: (v.code ?? '').trim(),
    nameZh: (v.nameZh ?? '').trim(),
    nameEn: (v.nameEn ?? '').trim(),
    status: v.status ?? 'yellow',
    priority: v.priority ?? 0,
    enabled: v.enabled ?? true,
    when: { ...(all.length ? { all } : {}), ...(any.length ? { any } : {}) },
  };
}

export function formOf(rule: RuleView | null, nextPriority: number): Partial<RuleForm> {
  if (!rule) return { status: 'yellow', priority: nextPriority, enabled: true, all: [{ fact: 'temperatureC', op: '>=', value: 37.3 }], any: [] };
  return {
    code: rule.code,
    nameZh: rule.nameZh,
    nameEn: rule.nameEn,
    status: rule.status,
    priority: rule.priority,
    enabled: rule.enabled,
    all: (rule.when.all ?? []).map(formClause),
    any: (rule.when.any ?? []).map(formClause),
  };
}

/** The value control that fits a fact and an operator. */
function ValueInput({ fact, op, value, onChange, id }: { fact: FactName; op: ClauseOp; value?: ClauseForm['value']; onChange?: (v: ClauseForm['value']) => void; id?: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const kind = factKinds[fact];
  if (op === 'nonEmpty' || op === 'empty') return <Typography.Text type="secondary">{t('healthCare.rules.noValue')}</Typography.Text>;
  switch (kind) {
    case 'number':
      return <InputNumber<number> id={id} value={typeof value === 'number' ? value : null} onChange={(v) => onChange?.(v ?? undefined)} step={fact === 'temperatureC' ? 0.1 : 1} style={{ width: 120 }} />;
    case 'boolean':
      return (
        <Select<'true' | 'false'>
          id={id}
          value={value === true ? 'true' : value === false ? 'false' : undefined}
          onChange={(v) => onChange?.(v === 'true')}
          style={{ width: 100 }}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
        />
      );
    case 'level':
      return op === 'in' ? (
        <Select<string[]>
          id={id}
          mode="multiple"
          value={Array.isArray(value) ? value : []}
          onChange={(v) => onChange?.(v)}
          style={{ minWidth: 180 }}
          options={RISK_LEVELS.map((l) => ({ value: l, label: t(`healthCare.levels.${l}`) }))}
        />
      ) : (
        <Select<string>
          id={id}
          value={typeof value === 'string' ? value : undefined}
          onChange={(v) => onChange?.(v)}
          style={{ width: 130 }}
          options={[...RISK_LEVELS.map((l) => ({ value: l, label: t(`healthCare.levels.${l}`) })), { value: NONE, label: t('healthCare.rules.noLevel') }]}
        />
      );
    case 'list':
      return <Select<string> id={id} value={typeof value === 'string' ? value : undefined} onChange={(v) => onChange?.(v)} style={{ width: 150 }} options={symptomCodes.map((s) => ({ value: s.code, label: s[lang] }))} />;
  }
}

function ClauseList({ name, form, label }: { name: 'all' | 'any'; form: FormInstance<RuleForm>; label: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const clauses = Form.useWatch(name, form) as ClauseForm[] | undefined;
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={6}>
          <Typography.Text strong>{label}</Typography.Text>
          {fields.length === 0 ? <Typography.Text type="secondary">{t('healthCare.rules.noClauses')}</Typography.Text> : null}
          {fields.map((field, i) => {
            const current = clauses?.[i];
            const fact = current?.fact ?? 'temperatureC';
            const ops = opsByKind[factKinds[fact]];
            return (
              <Flex key={field.key} gap={6} wrap align="center" data-testid={`clause-${name}-${i}`}>
                <Form.Item name={[field.name, 'fact']} noStyle>
                  <Select<FactName>
                    aria-label={t('healthCare.rules.fact')}
                    style={{ width: 190 }}
                    onChange={(f) => form.setFieldValue([name, field.name], { fact: f, op: opsByKind[factKinds[f]][0], value: undefined })}
                    options={FACT_NAMES.map((f) => ({ value: f, label: factLabels[f][lang] }))}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'op']} noStyle>
                  <Select<ClauseOp> aria-label={t('healthCare.rules.op')} style={{ width: 100 }} onChange={() => form.setFieldValue([name, field.name, 'value'], undefined)} options={ops.map((o) => ({ value: o, label: opLabel(o, lang) }))} />
                </Form.Item>
                <Form.Item name={[field.name, 'value']} noStyle>
                  <ValueInput fact={fact} op={current?.op ?? ops[0]!} />
                </Form.Item>
                <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('healthCare.rules.removeClause')} onClick={() => remove(field.name)} />
              </Flex>
            );
          })}
          <Button size="small" type="dashed" icon={<PlusOutlined aria-hidden />} style={{ alignSelf: 'flex-start' }} onClick={() => add({ fact: 'temperatureC', op: '>=', value: undefined })}>
            {t('healthCare.rules.addClause')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/**
 * The rule editor: name, colour, priority and the condition as clauses (fact, operator, value; the
 * operators offered fit the fact's kind), checked as you type by the same validateRule the server
 * runs; its draft can be tried on the test bench before it is saved.
 */
export function RuleEditor({ rule, nextPriority, onDraft, onClose }: { rule: RuleView | null; nextPriority: number; onDraft: (draft: CreateRuleBody | null) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = useLang();
  const describe = useCareError();
  const save = useSaveRule();
  const [form] = Form.useForm<RuleForm>();
  const card = useRef<HTMLDivElement>(null);
  // The editor opens below the table: bring it into view.
  useEffect(() => card.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }), []);
  const [serverProblems, setServerProblems] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const values = Form.useWatch((v: RuleForm) => v, form) as Partial<RuleForm> | undefined;
  const draft = values ? ruleOf({ ...values, code: rule?.code ?? values.code }) : null;
  const problems = draft ? validateRule(draft) : [];

  const submit = () => {
    if (!draft) return;
    setFailure(null);
    setServerProblems([]);
    const { code: _code, ...fields } = draft;
    const input = rule ? { code: rule.code, body: { ...fields, version: rule.version } } : { code: null, body: draft };
    save.mutate(input, {
      onSuccess: (r) => {
        void message.success(t('healthCare.rules.saved', { code: r.rule.code, recomputed: r.recomputed, changed: r.changed }));
        onDraft(null);
        onClose();
      },
      onError: (e) => {
        const listed = detailProblems(e);
        if (listed.length) setServerProblems(listed);
        else setFailure(describe(e));
      },
    });
  };

  return (
    <Card
      ref={card}
      size="small"
      data-testid="rule-editor"
      title={rule ? t('healthCare.rules.editTitle', { code: rule.code }) : t('healthCare.rules.addTitle')}
      extra={
        <Flex gap={8}>
          <Button
            onClick={() => {
              onDraft(null);
              onClose();
            }}
          >
            {t('common.cancel')}
          </Button>
          <Button type="primary" loading={save.isPending} disabled={problems.length > 0} onClick={submit}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<RuleForm>
        form={form}
        layout="vertical"
        initialValues={formOf(rule, nextPriority)}
        onValuesChange={(_c, all) => {
          const d = ruleOf({ ...all, code: rule?.code ?? all.code });
          onDraft(validateRule(d).length === 0 ? d : null);
        }}
      >
        <Flex gap={8} wrap>
          <Form.Item name="code" label={t('healthCare.rules.code')} extra={rule ? undefined : t('healthCare.rules.codeHint')} style={{ minWidth: 200 }}>
            <Input maxLength={40} disabled={rule !== null} placeholder="YELLOW_COUGH" />
          </Form.Item>
          <Form.Item name="nameZh" label={t('healthCare.rules.nameZh')} style={{ flex: 1, minWidth: 180 }}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('healthCare.rules.nameEn')} style={{ flex: 1, minWidth: 180 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap align="flex-end">
          <Form.Item name="status" label={t('healthCare.rules.colour')}>
            <Select<HealthColour> style={{ width: 120 }} options={HEALTH_COLOURS.map((c) => ({ value: c, label: <ColourTag colour={c} /> }))} />
          </Form.Item>
          <Form.Item name="priority" label={t('healthCare.rules.priority')} extra={t('healthCare.rules.priorityHint')}>
            <InputNumber<number> min={0} max={100000} precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="enabled" label={t('healthCare.rules.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
        <Flex vertical gap={12}>
          <ClauseList name="all" form={form} label={t('healthCare.rules.allOf')} />
          <ClauseList name="any" form={form} label={t('healthCare.rules.anyOf')} />
        </Flex>
      </Form>
      {draft ? (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('healthCare.rules.reads')}</Typography.Text> <ColourTag colour={draft.status as HealthColour} />
          {conditionWords(draft.when as Parameters<typeof conditionWords>[0], lang)}
        </Typography.Paragraph>
      ) : null}
      {problems.length > 0 || serverProblems.length > 0 ? (
        <Alert
          type={serverProblems.length ? 'error' : 'warning'}
          showIcon
          data-testid="rule-problems"
          title={t('healthCare.rules.problems')}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {[...new Set([...serverProblems, ...problems])].map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      {failure ? <Alert type="error" showIcon title={failure} style={{ marginTop: 8 }} /> : null}
    </Card>
  );
}
