import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { HopTable } from '../../src/renderer/src/table/HopTable';
import { COLUMNS_STORAGE_KEY } from '../../src/renderer/src/table/columnPreference';
import { hop, host, sample } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

const hops = [
  hop(1, [host('192.168.1.1', { hostname: 'gw.lan', avgMs: 1.25 })]),
  hop(2, [], { sent: 10, received: 0, lossPct: 100 }),
  hop(3, [host('10.0.3.1', { avgMs: 30 }), host('10.0.3.2', { avgMs: 5 })], { lossPct: 12.5 }),
  hop(4, [host('198.18.8.2', { avgMs: 20 })]),
  hop(5, [host('198.18.8.2')], { onPath: false }),
];

const rowKeys = (container: HTMLElement) =>
  [...container.querySelectorAll('[data-testid="hop-row"]')].map(
    (r) => `${r.getAttribute('data-ttl')}:${r.getAttribute('data-address') || '*'}`,
  );
const headers = (container: HTMLElement) =>
  [...container.querySelectorAll('thead th')].map((th) => th.querySelector('abbr')!.textContent);
const click = (el: Element) => act(() => el.dispatchEvent(new MouseEvent('click', { bubbles: true })));

afterEach(() => localStorage.clear());

describe('HopTable', () => {
  it('renders mtr columns and one row per responder, greying hops the engine no longer probes', () => {
    const { container, unmount } = render(
      <HopTable
        hops={hops}
        selectedTtl={null}
        onSelectTtl={() => {}}
        destinationTtl={4}
        caption="Path to target.hopscope.test"
      />,
    );
    expect(container.querySelector('caption')!.textContent).toBe('Path to target.hopscope.test');
    expect(headers(container)).toEqual([
      '#',
      'Host',
      'Loss%',
      'Snt',
      'Last',
      'Avg',
      'Best',
      'Wrst',
      'StDev',
      'Jitter',
      'MPLS',
    ]);
    expect([...container.querySelectorAll('thead th')].every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect(rowKeys(container)).toEqual([
      '1:192.168.1.1',
      '2:*',
      '3:10.0.3.1',
      '3:10.0.3.2',
      '4:198.18.8.2',
      '5:198.18.8.2',
    ]);
    const rows = container.querySelectorAll('[data-testid="hop-row"]');
    expect(rows[0]!.textContent).toContain('gw.lan (192.168.1.1)');
    expect(rows[1]!.textContent).toContain('???');
    expect(rows[1]!.textContent).toContain('100.0%');
    // The sibling responder sits under TTL 3 without repeating the TTL-wide cells.
    expect(rows[3]!.classList.contains('is-sibling')).toBe(true);
    // The row above it drops its bottom border, so the two read as one group (and only that row).
    expect([...rows].map((r) => r.classList.contains('is-before-sibling'))).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
    expect(rows[3]!.querySelector('.hs-col-loss')!.textContent).toBe('');
    expect(rows[3]!.querySelector('th[scope="row"]')!.textContent).toBe('3');
    expect(rows[4]!.textContent).toContain('destination');
    expect([...rows].map((r) => r.classList.contains('is-off-path'))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(rows[5]!.textContent).toContain('not probed');
    expect(rows[4]!.textContent).not.toContain('not probed');
    unmount();
  });

  it('sorts when a header is clicked and reports it with aria-sort', () => {
    const { container, unmount } = render(
      <HopTable hops={hops.slice(0, 4)} selectedTtl={null} onSelectTtl={() => {}} destinationTtl={4} />,
    );
    const avgHeader = () =>
      [...container.querySelectorAll('thead th')].find((th) => th.textContent?.startsWith('Avg'))!;
    expect(container.querySelector('th[aria-sort]')!.textContent).toContain('#');
    click(avgHeader().querySelector('button')!);
    expect(avgHeader().getAttribute('aria-sort')).toBe('descending');
    expect(rowKeys(container)).toEqual(['3:10.0.3.1', '4:198.18.8.2', '3:10.0.3.2', '1:192.168.1.1', '2:*']);
    click(avgHeader().querySelector('button')!);
    expect(avgHeader().getAttribute('aria-sort')).toBe('ascending');
    expect(rowKeys(container)[0]).toBe('1:192.168.1.1');
    expect(container.querySelectorAll('th[aria-sort]')).toHaveLength(1);
    unmount();
  });

  it('selects a TTL on row click and highlights it', () => {
    const onSelectTtl = vi.fn();
    const { container, rerender, unmount } = render(
      <HopTable hops={hops} selectedTtl={null} onSelectTtl={onSelectTtl} />,
    );
    click(container.querySelectorAll('[data-testid="hop-row"]')[3]!);
    expect(onSelectTtl).toHaveBeenCalledWith(3);
    rerender(<HopTable hops={hops} selectedTtl={3} onSelectTtl={onSelectTtl} />);
    const selected = [...container.querySelectorAll('[data-testid="hop-row"].is-selected')];
    expect(selected.map((r) => r.getAttribute('data-address'))).toEqual(['10.0.3.1', '10.0.3.2']);
    expect(selected[0]!.getAttribute('tabindex')).toBe('0');
    unmount();
  });

  it('moves the selection with arrow keys', () => {
    const onSelectTtl = vi.fn();
    const { container, unmount } = render(<HopTable hops={hops} selectedTtl={2} onSelectTtl={onSelectTtl} />);
    const row = container.querySelector('[data-testid="hop-row"][data-ttl="2"]')!;
    act(() => row.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })));
    expect(onSelectTtl).toHaveBeenLastCalledWith(3);
    unmount();
  });

  it('hides columns and remembers the choice in localStorage', () => {
    const { container, unmount } = render(<HopTable hops={hops} selectedTtl={null} onSelectTtl={() => {}} />);
    const toggle = [...container.querySelectorAll('.hs-column-chooser label')].find((l) =>
      l.textContent?.includes('MPLS'),
    )!;
    click(toggle.querySelector('input')!);
    expect(headers(container)).not.toContain('MPLS');
    expect(JSON.parse(localStorage.getItem(COLUMNS_STORAGE_KEY)!)).not.toContain('mpls');
    unmount();

    const again = render(<HopTable hops={hops} selectedTtl={null} onSelectTtl={() => {}} />);
    expect(headers(again.container)).not.toContain('MPLS');
    expect(headers(again.container)).toContain('Jitter');
    again.unmount();
  });

  it('lets the caller own the column choice', () => {
    const onVisibleColumnsChange = vi.fn();
    const { container, unmount } = render(
      <HopTable
        hops={hops}
        selectedTtl={null}
        onSelectTtl={() => {}}
        visibleColumns={['loss', 'avg']}
        onVisibleColumnsChange={onVisibleColumnsChange}
      />,
    );
    expect(headers(container)).toEqual(['#', 'Host', 'Loss%', 'Avg']);
    const toggle = [...container.querySelectorAll('.hs-column-chooser label')].find((l) =>
      l.textContent?.includes('Snt'),
    )!;
    // The menu names columns as the headers do, with the long name as its tooltip.
    expect(toggle.getAttribute('title')).toBe('Probes sent');
    click(toggle.querySelector('input')!);
    expect(onVisibleColumnsChange).toHaveBeenCalledWith(['ttl', 'host', 'loss', 'sent', 'avg']);
    expect(localStorage.getItem(COLUMNS_STORAGE_KEY)).toBeNull();
    unmount();
  });

  it('shows the verdicts where the numbers are: local loss, unreachable, SYN retransmissions, and data-snt', () => {
    const path = [
      hop(1, [host('10.0.0.1')], { sent: 20, received: 20, lossPct: 0 }),
      // Rate limiting: 40 % here, nothing downstream.
      hop(2, [host('10.0.0.2')], { sent: 20, received: 12, lossPct: 40 }),
      hop(3, [host('10.0.0.3', { avgMs: 400 })], { sent: 20, received: 20, lossPct: 0 }),
      hop(4, [host('10.0.0.4')], { sent: 20, received: 20, lossPct: 0, unreachable: true }),
    ];
    const samples = { 3: [sample(0, '10.0.0.3', 2), sample(1, '10.0.0.3', 1003), sample(2, '10.0.0.3', 2.1)] };
    const { container, unmount } = render(
      <HopTable hops={path} selectedTtl={null} onSelectTtl={() => {}} samples={samples} protocol="tcp" />,
    );
    const row = (ttl: number) => container.querySelector(`[data-testid="hop-row"][data-ttl="${ttl}"]`)!;
    expect(row(2).querySelector('[data-testid="verdict-loss-local"]')).not.toBeNull();
    expect(row(2).querySelector('.hs-col-loss')!.textContent).toBe('40.0%*');
    expect(row(1).querySelector('[data-testid="verdict-loss-local"]')).toBeNull();
    expect(row(4).querySelector('[data-testid="verdict-unreachable"]')!.textContent).toBe('unreachable (!N/!H)');
    expect(row(3).querySelector('[data-testid="verdict-syn-retransmit"]')!.textContent).toBe('1 SYN retransmission');
    expect(row(2).getAttribute('data-snt')).toBe('20');
    unmount();

    // The same samples over ICMP are latency: no retransmission verdict.
    const icmp = render(
      <HopTable hops={path} selectedTtl={null} onSelectTtl={() => {}} samples={samples} protocol="icmp" />,
    );
    expect(icmp.container.querySelector('[data-testid="verdict-syn-retransmit"]')).toBeNull();
    icmp.unmount();
  });
});
