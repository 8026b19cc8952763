import { Col, Row, Statistic, theme, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Panel } from '../../app/panel';

export interface StatCard {
  key: string;
  title: ReactNode;
  value: string | number;
  color?: string;
  detail: ReactNode;
}

/** The row of headline figures above a benchmarking view. */
export function StatCards({ cards, span }: { cards: StatCard[]; span: { xs: number; sm?: number; md?: number } }) {
  const { token } = theme.useToken();
  return (
    <Row gutter={[12, 12]}>
      {cards.map((card) => (
        <Col key={card.key} {...span}>
          <Panel size="small" style={{ height: '100%' }}>
            <Statistic title={card.title} value={card.value} styles={{ content: { color: card.color, fontVariantNumeric: 'tabular-nums' } }} />
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
              {card.detail}
            </Typography.Text>
          </Panel>
        </Col>
      ))}
    </Row>
  );
}
