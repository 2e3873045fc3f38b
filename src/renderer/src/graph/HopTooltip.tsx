/**
 * Everything known about one node, shown while the pointer is over it. It
 * lives in document.body at a fixed position, so neither the graph pane nor
 * the table pane can clip it, and it is placed inside the window.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { ADDRESS_CLASS_INFO } from '@shared/addressClass';
import { placeTooltip } from './tooltipPlacement';
import type { GraphNode } from './pathLayout';
import { NO_VALUE, formatLossPct, formatMplsLabel, formatMs } from './statFormat';
import { countryName, ownerDataDate } from './ownerLabels';
import './HopTooltip.css';
import { FactList } from '../app/FactList';

/** The pointer, in viewport coordinates (clientX/clientY). */
export interface TooltipPosition {
  x: number;
  y: number;
}

export function HopTooltip({ node, position }: { node: GraphNode; position: TooltipPosition }) {
  const ref = useRef<HTMLDivElement>(null);
  const [placed, setPlaced] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (box === undefined) return;
    setPlaced(
      placeTooltip(
        position,
        { width: box.width, height: box.height },
        { width: window.innerWidth, height: window.innerHeight },
      ),
    );
  }, [position, node]);
  const host = node.host;
  const owner = host?.owner;
  const ownerRows: [string, string][] =
    owner === undefined
      ? []
      : [
          ['AS', owner.as ? `AS${owner.as.asn}` : 'unknown'],
          ...(owner.as ? [['Organisation', owner.as.organisation] as [string, string]] : []),
          ['Country', owner.country ? countryName(owner.country.code) : 'unknown'],
          ...(ownerDataDate(owner) !== null ? [['Data', ownerDataDate(owner)!] as [string, string]] : []),
        ];
  const rows: [string, string][] = [
    ...ownerRows,
    ['Sent', String(node.sent)],
    [
      'Received',
      host === null
        ? '0'
        : `${host.received}${node.replyShare !== null && node.replyShare < 1 ? ` (${Math.round(node.replyShare * 100)}% of replies)` : ''}`,
    ],
    ['Loss', node.pending ? NO_VALUE : formatLossPct(node.lossPct)],
    ['Last', `${formatMs(host?.lastMs)} ms`],
    ['Avg', `${formatMs(host?.avgMs)} ms`],
    ['Best', `${formatMs(host?.bestMs)} ms`],
    ['Worst', `${formatMs(host?.worstMs)} ms`],
    ['StDev', `${formatMs(host?.stdevMs)} ms`],
    ['Jitter', `${formatMs(host?.jitterMs)} ms`],
  ];
  return createPortal(
    <div
      ref={ref}
      className="hs-tooltip"
      role="tooltip"
      data-testid="hop-tooltip"
      // Measured hidden at the pointer first, then moved where it fits.
      style={placed === null ? { left: position.x, top: position.y, visibility: 'hidden' } : placed}
    >
      <div className="hs-tooltip-title">
        <span>#{node.ttl}</span> {node.address ?? 'no reply'}
      </div>
      {node.hostname !== null && <div className="hs-tooltip-hostname">{node.hostname}</div>}
      {node.addressClass !== null && (
        <div className="hs-tooltip-class">{ADDRESS_CLASS_INFO[node.addressClass].description}</div>
      )}
      {node.isDestination && <div className="hs-tooltip-flag">Destination</div>}
      {!node.onPath && <div className="hs-tooltip-flag">Not probed: no longer on the path</div>}
      <FactList className="hs-tooltip-stats" facts={rows} />
      {host !== null && host.mpls.length > 0 && (
        <div className="hs-tooltip-mpls">
          MPLS:
          <ul>
            {host.mpls.map((l, i) => (
              <li key={i}>{formatMplsLabel(l)}</li>
            ))}
          </ul>
        </div>
      )}
      {node.lossPersists === false && (
        <p className="hs-tooltip-note">
          {node.kind === 'silent'
            ? 'This router does not answer probes, but later hops do: traffic passes through it.'
            : 'Later hops lose less: likely ICMP rate limiting on this router, not loss on the path.'}
        </p>
      )}
      {node.lossPersists === true && (
        <p className="hs-tooltip-note is-warning">Loss continues at later hops: it affects traffic on the path.</p>
      )}
      {node.unreachable && (
        <p className="hs-tooltip-note is-warning">
          Unreachable (!N/!H): this router answered ICMP net/host unreachable; nothing past it is probed.
        </p>
      )}
    </div>,
    document.body,
  );
}
