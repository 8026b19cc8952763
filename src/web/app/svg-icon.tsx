import type { AbstractNode, IconDefinition } from '@ant-design/icons-svg/lib/types';
import { createElement, type CSSProperties, type ReactNode } from 'react';

function renderNode(node: AbstractNode, key: number): ReactNode {
  return createElement(node.tag, { key, ...node.attrs }, node.children?.map(renderNode));
}

/**
 * An antd icon drawn straight from its SVG definition (`@ant-design/icons-svg/es/asn/…`), for the
 * parts of the app drawn before antd loads (plain.css): `@ant-design/icons` would bring antd's style
 * helpers into the entry. Decorative: screen readers skip it.
 */
export function SvgIcon({ icon, style, className }: { icon: IconDefinition; style?: CSSProperties; className?: string }) {
  const svg = typeof icon.icon === 'function' ? icon.icon('currentColor', '#e6f4ff') : icon.icon;
  return (
    <span className={className ? `plain-icon ${className}` : 'plain-icon'} style={style} aria-hidden>
      <svg viewBox={svg.attrs.viewBox} width="1em" height="1em" fill="currentColor" focusable="false">
        {svg.children?.map(renderNode)}
      </svg>
    </span>
  );
}
