/**
 * mtr's report as a real table: the accessible twin of the path graph.
 * Same columns as mtr (plus jitter and MPLS), extra ECMP responders on rows
 * under their TTL, sortable headers, and a column chooser.
 */
import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { HopStatsUpdate } from '@shared/session';
import type { Protocol } from '@shared/probe';
import type { Sample } from '@shared/traceFile';
import { lossBand } from '../graph/lossScale';
import { isOnPath } from '../store/selectors';
import {
  DEFAULT_VISIBLE_COLUMNS,
  REQUIRED_COLUMNS,
  normalizeColumns,
  readColumnPreference,
  writeColumnPreference,
} from './columnPreference';
import {
  DEFAULT_HOP_SORT,
  HOP_COLUMNS,
  OWNER_COLUMNS,
  PERCENTILE_COLUMNS,
  firstSortDirection,
  hasPercentiles,
  isPathOrder,
  sortHops,
  type HopColumnId,
  type HopRow,
  type HopSort,
} from './sortHops';
import { NO_VERDICT, rowVerdicts, verdictFor, type RowVerdict } from './hopVerdicts';
import { HostCell } from './HostCell';
import { RowSpacer, useRowWindow } from './useRowWindow';
import { cellText, cellTitle } from './hopCells';
import './HopTable.css';

export interface HopTableProps {
  hops: readonly HopStatsUpdate[];
  selectedTtl: number | null;
  onSelectTtl: (ttl: number) => void;
  /** Its row is marked. Hops the engine no longer probes (isOnPath) are greyed, not hidden. */
  destinationTtl?: number | null;
  caption?: string;
  /** Controlled visible columns. Omit to let the table keep them in localStorage (`hopscope.columns`). */
  visibleColumns?: readonly HopColumnId[];
  onVisibleColumnsChange?: (columns: HopColumnId[]) => void;
  /** Controlled sort. Omit to let the table keep it. */
  sort?: HopSort;
  onSortChange?: (sort: HopSort) => void;
  /** Samples per TTL (live store) and the probes' protocol: for the SYN-retransmission verdict. */
  samples?: Readonly<Record<number, readonly Sample[] | undefined>>;
  protocol?: Protocol;
}

interface ColumnSpec {
  header: string;
  /** Spoken/tooltip name where the header is an mtr abbreviation. */
  title: string;
  numeric: boolean;
}

const HOP_COLUMN_SPECS: Readonly<Record<HopColumnId, ColumnSpec>> = {
  ttl: { header: '#', title: 'Hop (TTL)', numeric: true },
  host: { header: 'Host', title: 'Host', numeric: false },
  as: { header: 'AS', title: 'Autonomous system: whose network the responder is in', numeric: false },
  country: { header: 'Country', title: 'Country of the responder (country-level data)', numeric: false },
  loss: { header: 'Loss%', title: 'Packet loss', numeric: true },
  sent: { header: 'Snt', title: 'Probes sent', numeric: true },
  last: { header: 'Last', title: 'Last RTT (ms)', numeric: true },
  avg: { header: 'Avg', title: 'Average RTT (ms)', numeric: true },
  best: { header: 'Best', title: 'Best RTT (ms)', numeric: true },
  worst: { header: 'Wrst', title: 'Worst RTT (ms)', numeric: true },
  stdev: { header: 'StDev', title: 'Standard deviation of RTT (ms)', numeric: true },
  jitter: { header: 'Jitter', title: 'Mean difference of consecutive RTTs (ms)', numeric: true },
  p50: { header: 'p50', title: 'Median RTT in the focus window (ms)', numeric: true },
  p95: { header: 'p95', title: '95th percentile RTT in the focus window (ms)', numeric: true },
  p99: { header: 'p99', title: '99th percentile RTT in the focus window (ms)', numeric: true },
  mpls: { header: 'MPLS', title: 'MPLS label stack', numeric: false },
};

// Rows and cells take plain values and are memoised: a live batch replaces every hop's
// statistics, but only a few of the formatted cells in a row read differently.

const StatCell = memo(function StatCell({
  className,
  title,
  text,
}: {
  className: string;
  title: string | undefined;
  text: string;
}) {
  return (
    <td className={className} title={title}>
      {text}
    </td>
  );
});

interface HopRowViewProps {
  row: HopRow;
  /** Position among all rows (the header is 1), for screen readers when only some rows are rendered. */
  rowIndex: number;
  verdict: RowVerdict;
  columns: readonly HopColumnId[];
  sibling: boolean;
  /** The next row drawn is a sibling of this one (it continues this TTL's group). */
  beforeSibling: boolean;
  selected: boolean;
  isDestination: boolean;
  focusable: boolean;
  onSelectTtl: (ttl: number) => void;
}

const HopRowView = memo(function HopRowView({
  row,
  rowIndex,
  verdict,
  columns,
  sibling,
  beforeSibling,
  selected,
  isDestination,
  focusable,
  onSelectTtl,
}: HopRowViewProps) {
  const band = row.hop.sent === 0 ? null : lossBand(row.hop.lossPct);
  const onPath = isOnPath(row.hop);
  return (
    <tr
      data-testid="hop-row"
      data-ttl={row.ttl}
      data-snt={row.hop.sent}
      data-address={row.host?.address ?? ''}
      className={[
        selected ? 'is-selected' : '',
        sibling ? 'is-sibling' : '',
        beforeSibling ? 'is-before-sibling' : '',
        isDestination ? 'is-destination' : '',
        onPath ? '' : 'is-off-path',
        band === null ? '' : `hs-loss-level-${band.level}`,
      ]
        .filter(Boolean)
        .join(' ')}
      aria-current={selected ? 'true' : undefined}
      aria-rowindex={rowIndex}
      tabIndex={focusable ? 0 : -1}
      onClick={() => onSelectTtl(row.ttl)}
    >
      {columns.map((column) => {
        if (column === 'ttl') {
          return (
            <th key={column} scope="row" className="hs-col-ttl is-numeric">
              {sibling ? <span className="hs-visually-hidden">{row.ttl}</span> : row.ttl}
            </th>
          );
        }
        if (column === 'host') {
          return (
            <td key={column} className="hs-col-host">
              <HostCell
                address={row.host?.address ?? null}
                hostname={row.host?.hostname ?? null}
                isDestination={isDestination}
                onPath={onPath}
                verdict={sibling ? NO_VERDICT : verdict}
              />
            </td>
          );
        }
        const spec = HOP_COLUMN_SPECS[column];
        return (
          <StatCell
            key={column}
            className={`hs-col-${column}${spec.numeric ? ' is-numeric' : ''}`}
            title={cellTitle(row, column, verdict.lossLocal && !sibling)}
            text={`${cellText(row, column, sibling)}${column === 'loss' && verdict.lossLocal && !sibling ? '*' : ''}`}
          />
        );
      })}
    </tr>
  );
});

const ColumnChooser = memo(function ColumnChooser({
  columns,
  onToggle,
}: {
  columns: readonly HopColumnId[];
  onToggle: (column: HopColumnId, shown: boolean) => void;
}) {
  return (
    <details className="hs-column-chooser">
      <summary>Columns</summary>
      <fieldset>
        <legend>Show columns</legend>
        {HOP_COLUMNS.filter((c) => !REQUIRED_COLUMNS.includes(c)).map((column) => (
          <label key={column} title={HOP_COLUMN_SPECS[column].title}>
            <input
              type="checkbox"
              checked={columns.includes(column)}
              onChange={(e) => onToggle(column, e.currentTarget.checked)}
            />
            {HOP_COLUMN_SPECS[column].header}
          </label>
        ))}
      </fieldset>
    </details>
  );
});

const HeaderRow = memo(function HeaderRow({
  columns,
  sort,
  onSort,
}: {
  columns: readonly HopColumnId[];
  sort: HopSort;
  onSort: (column: HopColumnId) => void;
}) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const spec = HOP_COLUMN_SPECS[column];
          const sorted = sort.column === column;
          return (
            <th
              key={column}
              scope="col"
              className={`hs-col-${column}${spec.numeric ? ' is-numeric' : ''}`}
              aria-sort={sorted ? sort.direction : undefined}
            >
              <button type="button" onClick={() => onSort(column)} title={`Sort by ${spec.title.toLowerCase()}`}>
                <abbr title={spec.title}>{spec.header}</abbr>
                <span className="hs-sort-indicator" aria-hidden="true">
                  {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                </span>
              </button>
            </th>
          );
        })}
      </tr>
    </thead>
  );
});

export function HopTable({
  hops,
  selectedTtl,
  onSelectTtl,
  destinationTtl = null,
  caption = 'Hops',
  visibleColumns,
  onVisibleColumnsChange,
  sort: controlledSort,
  onSortChange,
  samples,
  protocol,
}: HopTableProps) {
  const [ownColumns, setOwnColumns] = useState<HopColumnId[]>(
    () => readColumnPreference() ?? [...DEFAULT_VISIBLE_COLUMNS],
  );
  const [ownSort, setOwnSort] = useState<HopSort>(DEFAULT_HOP_SORT);
  const hasOwners = useMemo(() => hops.some((hop) => hop.hosts.some((h) => h.owner !== undefined)), [hops]);
  const chosen = useMemo(() => normalizeColumns(visibleColumns ?? ownColumns), [visibleColumns, ownColumns]);
  const percentiles = useMemo(() => hasPercentiles(hops), [hops]);
  const columns = useMemo(
    () =>
      chosen.filter(
        (c) => (hasOwners || !OWNER_COLUMNS.includes(c)) && (percentiles || !PERCENTILE_COLUMNS.includes(c)),
      ),
    [chosen, hasOwners, percentiles],
  );
  const sort = controlledSort ?? ownSort;

  const rows = useMemo(() => sortHops(hops, sort), [hops, sort]);
  const verdicts = useMemo(() => rowVerdicts(hops, samples, protocol), [hops, samples, protocol]);
  const grouped = isPathOrder(sort);
  const ttlOrder = useMemo(() => [...new Set(rows.map((r) => r.ttl))], [rows]);
  const focusTtl = selectedTtl !== null && ttlOrder.includes(selectedTtl) ? selectedTtl : ttlOrder[0];
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const { window: shown, focusRow } = useRowWindow(bodyRef, rows.length);

  const toggleColumn = useCallback(
    (column: HopColumnId, shown: boolean) => {
      const normalized = normalizeColumns(shown ? [...chosen, column] : chosen.filter((c) => c !== column));
      if (onVisibleColumnsChange) onVisibleColumnsChange(normalized);
      if (visibleColumns === undefined) {
        setOwnColumns(normalized);
        if (!onVisibleColumnsChange) writeColumnPreference(normalized);
      }
    },
    [chosen, visibleColumns, onVisibleColumnsChange],
  );

  const sortBy = useCallback(
    (column: HopColumnId) => {
      const next: HopSort =
        sort.column === column
          ? { column, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
          : { column, direction: firstSortDirection(column) };
      if (controlledSort === undefined) setOwnSort(next);
      onSortChange?.(next);
    },
    [sort, controlledSort, onSortChange],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const at = focusTtl === undefined ? -1 : ttlOrder.indexOf(focusTtl);
    let next: number | undefined;
    if (event.key === 'ArrowDown') next = ttlOrder[Math.min(ttlOrder.length - 1, at + 1)];
    else if (event.key === 'ArrowUp') next = ttlOrder[Math.max(0, at - 1)];
    else if (event.key === 'Home') next = ttlOrder[0];
    else if (event.key === 'End') next = ttlOrder[ttlOrder.length - 1];
    else if ((event.key === 'Enter' || event.key === ' ') && focusTtl !== undefined) next = focusTtl;
    else return;
    event.preventDefault();
    if (next === undefined) return;
    onSelectTtl(next);
    focusRow(
      next,
      rows.findIndex((r) => r.ttl === next),
    );
  };

  return (
    <div className="hs-hop-table">
      <ColumnChooser columns={chosen} onToggle={toggleColumn} />
      <table aria-rowcount={rows.length + 1}>
        <caption>{caption}</caption>
        <HeaderRow columns={columns} sort={sort} onSort={sortBy} />
        <tbody onKeyDown={onKeyDown} ref={bodyRef}>
          {shown.before > 0 && <RowSpacer height={shown.before} columns={columns.length} />}
          {rows.slice(shown.start, shown.end).map((row, i, drawn) => (
            <HopRowView
              key={row.key}
              row={row}
              rowIndex={shown.start + i + 2}
              verdict={verdictFor(verdicts, row.ttl)}
              columns={columns}
              sibling={grouped && row.responderIndex > 0}
              beforeSibling={grouped && (drawn[i + 1]?.responderIndex ?? 0) > 0}
              selected={row.ttl === selectedTtl}
              isDestination={row.ttl === destinationTtl}
              focusable={row.ttl === focusTtl && row.responderIndex === 0}
              onSelectTtl={onSelectTtl}
            />
          ))}
          {shown.after > 0 && <RowSpacer height={shown.after} columns={columns.length} />}
        </tbody>
      </table>
    </div>
  );
}
