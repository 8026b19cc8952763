import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Empty, Flex, Grid, Input, Row, Tag, Tree, Typography, theme } from 'antd';
import type { TreeDataNode } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Unit } from '../../../server/modules/units/units.schemas';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { DeactivateUnitModal } from './components/deactivate-unit-modal';
import { MoveUnitModal } from './components/move-unit-modal';
import { UnitDetail, type UnitAction } from './components/unit-detail';
import { UnitFormModal, type UnitFormTarget } from './components/unit-form-modal';
import { useActivateUnit, useUnits } from './queries';
import { ancestorIds, buildUnitTree, filterUnitTree, unitMatcher, unitName, type UnitNode } from './unit-tree';

// Dialogs keep ids, not units: after a reload (e.g. a stale write) they get the fresh version.
type OpenDialog =
  | { kind: 'create'; parentId: string | null }
  | { kind: 'edit' | 'move' | 'deactivate'; unitId: string }
  | null;

export function UnitsPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const { message, modal } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const canWrite = can('unit.write');
  const screens = Grid.useBreakpoint();
  const units = useUnits();
  const activate = useActivateUnit();
  const [searchParams, setSearchParams] = useSearchParams();
  const [query, setQuery] = useState('');
  const [expandedKeys, setExpandedKeys] = useState<string[] | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const detailRef = useRef<HTMLDivElement>(null);

  const selectedId = searchParams.get('unit');
  const byId = useMemo(() => new Map((units.data ?? []).map((unit) => [unit.id, unit])), [units.data]);
  const roots = useMemo(() => buildUnitTree(units.data ?? []), [units.data]);
  const filtered = useMemo(() => (query.trim() ? filterUnitTree(roots, unitMatcher(query)) : null), [roots, query]);
  const selected = selectedId ? byId.get(selectedId) : undefined;

  // Show the top two levels' children (the companies and their divisions and plants) until the
  // user expands or collapses something.
  const defaultExpanded = useMemo(
    () => roots.flatMap((root) => [root.unit.id, ...root.children.filter((c) => c.children.length > 0).map((c) => c.unit.id)]),
    [roots],
  );
  const expanded = filtered ? filtered.expanded : (expandedKeys ?? defaultExpanded);

  /** Opens the tree down to (and including) `parentId`, so that a unit placed under it is visible. */
  const revealUnder = (parentId: string) => {
    const path = [parentId, ...ancestorIds(byId, parentId)];
    setExpandedKeys((keys) => [...new Set([...(keys ?? defaultExpanded), ...path])]);
  };

  const select = (id: string | null) => {
    setSearchParams(id ? { unit: id } : {}, { replace: true });
  };

  const treeData = useMemo(() => {
    const matches = unitMatcher(query);
    const toNode = (node: UnitNode): TreeDataNode => {
      const { unit } = node;
      const hit = Boolean(query.trim()) && matches(unit);
      return {
        key: unit.id,
        title: (
          <span style={unit.active ? undefined : { color: token.colorTextDisabled }}>
            <Typography.Text type="secondary" style={{ marginInlineEnd: 6, fontSize: token.fontSizeSM }}>
              {unit.code}
            </Typography.Text>
            <span style={hit ? { background: token.colorWarningBg } : undefined}>{unitName(unit, i18n.language)}</span>
            {unit.active ? null : (
              <Tag style={{ marginInlineStart: 6 }} variant="filled">
                {t('units.inactive')}
              </Tag>
            )}
          </span>
        ),
        children: node.children.map(toNode),
      };
    };
    return (filtered?.roots ?? roots).map(toNode);
  }, [filtered, roots, query, i18n.language, t, token]);

  const onAction = (action: UnitAction) => {
    if (!selected) return;
    switch (action) {
      case 'addChild':
        setDialog({ kind: 'create', parentId: selected.id });
        break;
      case 'edit':
      case 'move':
      case 'deactivate':
        setDialog({ kind: action, unitId: selected.id });
        break;
      case 'activate':
        void modal.confirm({
          title: t('units.activateTitle', { name: unitName(selected, i18n.language) }),
          okText: t('units.activate'),
          cancelText: t('common.cancel'),
          onOk: () =>
            activate.mutateAsync({ id: selected.id, version: selected.version }).then(
              () => void message.success(t('units.activated')),
              (error: unknown) => void message.error(describeError(error)),
            ),
        });
        break;
    }
  };

  if (units.isPending) return <PageSpin />;
  if (units.isError) return <LoadError error={units.error} onRetry={() => void units.refetch()} />;

  const dialogUnit = dialog && dialog.kind !== 'create' ? byId.get(dialog.unitId) : undefined;
  const formTarget: UnitFormTarget | null =
    dialog?.kind === 'create'
      ? { mode: 'create', parent: dialog.parentId ? (byId.get(dialog.parentId) ?? null) : null }
      : dialog?.kind === 'edit' && dialogUnit
        ? { mode: 'edit', unit: dialogUnit }
        : null;

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('units.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xl={9}>
          <Card
            size="small"
            title={t('units.treeTitle')}
            extra={
              canWrite ? (
                <Button
                  size="small"
                  icon={<PlusOutlined aria-hidden  />}
                  onClick={() => setDialog({ kind: 'create', parentId: null })}
                >
                  {t('units.addRoot')}
                </Button>
              ) : null
            }
          >
            <Input.Search
              allowClear
              placeholder={t('units.searchPlaceholder')}
              aria-label={t('units.searchPlaceholder')}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              style={{ marginBottom: 12 }}
            />
            {treeData.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={query.trim() ? t('units.noMatch') : t('units.empty')} />
            ) : (
              <Tree
                blockNode
                showLine
                treeData={treeData}
                expandedKeys={expanded}
                onExpand={(keys) => setExpandedKeys(keys.map(String))}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => {
                  const id = keys[0];
                  select(id === undefined ? null : String(id));
                  // On phones the details sit under the tree: bring them into view.
                  if (id !== undefined && !screens.lg) {
                    requestAnimationFrame(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
                  }
                }}
                style={{ overflowX: 'auto' }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <div ref={detailRef} style={{ scrollMarginTop: 72 }}>
            <Card size="small" title={t('units.detail')}>
              {selected ? (
                <UnitDetail unit={selected} parent={selected.parentId ? byId.get(selected.parentId) : undefined} canWrite={canWrite} onAction={onAction} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('units.selectHint')} />
              )}
            </Card>
          </div>
        </Col>
      </Row>
      {formTarget ? (
        <UnitFormModal
          target={formTarget}
          onClose={() => setDialog(null)}
          onSaved={(unit: Unit | null) => {
            setDialog(null);
            if (formTarget.mode === 'edit') {
              void message.success(t('units.updated'));
              return;
            }
            void message.success(t('units.created'));
            if (unit) select(unit.id);
            if (formTarget.parent) revealUnder(formTarget.parent.id);
          }}
        />
      ) : null}
      {dialog?.kind === 'move' && dialogUnit ? (
        <MoveUnitModal
          unit={dialogUnit}
          onClose={() => setDialog(null)}
          onMoved={(parentId) => {
            setDialog(null);
            revealUnder(parentId);
            void message.success(t('units.moved'));
          }}
        />
      ) : null}
      {dialog?.kind === 'deactivate' && dialogUnit ? (
        <DeactivateUnitModal
          unit={dialogUnit}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void message.success(t('units.deactivated'));
          }}
        />
      ) : null}
    </Flex>
  );
}
