import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { formatReport } from '@shared/formats/report';
import { parseTraceFile } from '@shared/formats/importTrace';
import { traceOptionsSchema } from '@shared/traceOptions';
import type { HopscopeApi } from '@shared/ipc';
import type { TraceDocument } from '@shared/traceFile';
import { summary } from '../fixtures/traceBuilders';
import {
  allByTestId,
  byTestId,
  click,
  fakeApi,
  hopsEvent,
  key,
  mountApp,
  ok,
  sampleDocument,
  settle,
  startTrace,
  stateBatch,
  typeInto,
} from './appHarness';

beforeEach(() => localStorage.clear());
afterEach(() => {
  document.body.innerHTML = '';
});

describe('App wiring', () => {
  it('subscribes before telling the engine it is ready, and shows the empty state', async () => {
    const fake = fakeApi();
    const order: string[] = [];
    const on = fake.api.on;
    (fake.api as { on: HopscopeApi['on'] }).on = (event, listener) => {
      order.push(`on:${event}`);
      return on(event, listener);
    };
    fake.handlers.rendererReady.mockImplementation(() => {
      order.push('ready');
      return ok(null);
    });
    const { container, unmount } = await mountApp(fake);
    expect(order).toEqual(['on:sessionEvents', 'on:menuCommand', 'ready']);
    expect(byTestId(container, 'empty-state')!.textContent).toContain('Trace a network path');
    expect(allByTestId(container, 'tab')).toHaveLength(1);
    unmount();
    expect(fake.listenerCount('sessionEvents')).toBe(0);
  });

  it('starts a trace from the form, and rows, nodes and sparklines follow the events', async () => {
    const { container, fake, store, unmount } = await mountApp();
    typeInto(byTestId(container, 'count-input') as HTMLInputElement, '5');
    await startTrace(container, '192.0.2.1');
    expect(fake.handlers.startSession).toHaveBeenCalledWith(
      expect.objectContaining({ target: '192.0.2.1', protocol: 'icmp', count: 5 }),
    );
    const started = store.getState().tabs[0]!;
    expect(started.sessionId).toBe('s1');
    expect(byTestId(container, 'status-state')!.textContent).toContain('Resolving');

    const running = summary(
      { id: 's1', state: 'running', targetAddress: '192.0.2.1' },
      { target: '192.0.2.1', count: 5 },
    );
    fake.emit('sessionEvents', stateBatch(running, 1, [hopsEvent(0)]));
    expect(allByTestId(container, 'hop-row').map((r) => `${r.dataset.ttl}:${r.dataset.address}`)).toEqual([
      '1:10.0.0.1',
      '2:10.0.0.2',
      '2:10.0.1.2',
      '3:192.0.2.1',
    ]);
    expect(allByTestId(container, 'hop-node').filter((n) => n.getAttribute('data-ttl') === '2')).toHaveLength(2);
    expect(allByTestId(container, 'sparkline').length).toBeGreaterThan(0);
    expect(byTestId(container, 'status-state')!.textContent).toContain('Running');
    expect(byTestId(container, 'status-discovery')!.textContent).toContain('3 / 30 hops');
    expect(byTestId(container, 'stop-button')).not.toBeNull();

    fake.emit('sessionEvents', {
      sessionId: 's1',
      seq: 2,
      events: [
        { type: 'destination-reached', ttl: 3 },
        { type: 'state', summary: { ...running, rounds: 1, destinationTtl: 3 } },
      ],
    });
    expect(byTestId(container, 'status-destination')!.textContent).toBe('Destination reached at hop 3');
    expect(byTestId(container, 'status-rounds')!.textContent).toContain('1 / 5 rounds');

    // A click in the table selects the hop in the graph too.
    await click(allByTestId(container, 'hop-row')[2]!);
    const selected = allByTestId(container, 'hop-node').filter((n) => n.getAttribute('aria-selected') === 'true');
    expect(selected.map((n) => n.dataset.address).sort()).toEqual(['10.0.0.2', '10.0.1.2']);
    expect(allByTestId(container, 'hop-row').find((r) => r.classList.contains('is-selected'))!.dataset.ttl).toBe('2');

    await click(byTestId(container, 'stop-button')!);
    expect(fake.handlers.stopSession).toHaveBeenCalledWith({ sessionId: 's1' });
    unmount();
  });

  it('prefills the form with the last options the app remembers, and new tabs with the latest', async () => {
    const fake = fakeApi();
    fake.handlers.getLastTraceOptions.mockImplementation(() =>
      ok(traceOptionsSchema.parse({ target: '192.0.2.44', protocol: 'tcp', port: 443, count: 7 })),
    );
    const { container, fake: api, unmount } = await mountApp(fake);
    const field = (id: string) => byTestId(container, id) as HTMLInputElement;
    expect(field('target-input').value).toBe('192.0.2.44');
    expect((byTestId(container, 'protocol-select') as HTMLSelectElement).value).toBe('tcp');
    expect(field('port-input').value).toBe('443');
    expect(field('count-input').value).toBe('7');

    typeInto(field('target-input'), '192.0.2.45');
    await click(byTestId(container, 'start-button')!);
    await settle();
    expect(api.handlers.startSession).toHaveBeenCalledWith(
      expect.objectContaining({ target: '192.0.2.45', protocol: 'tcp', port: 443, count: 7 }),
    );
    await click(byTestId(container, 'new-tab')!);
    expect(field('target-input').value).toBe('192.0.2.45');
    unmount();
  });

  it('keeps events that arrive before the start reply and applies them once the tab has the session', async () => {
    const fake = fakeApi();
    let release!: () => void;
    fake.handlers.startSession.mockImplementation(
      () =>
        new Promise((resolve) => {
          release = () =>
            resolve({ ok: true, value: summary({ id: 'early', state: 'resolving' }, { target: '192.0.2.1' }) });
        }),
    );
    const { container, unmount } = await mountApp(fake);
    typeInto(byTestId(container, 'target-input') as HTMLInputElement, '192.0.2.1');
    await click(byTestId(container, 'start-button')!);
    fake.emit('sessionEvents', stateBatch(summary({ id: 'early' }, { target: '192.0.2.1' }), 1, [hopsEvent(0)]));
    expect(allByTestId(container, 'hop-row')).toHaveLength(0);
    await act(async () => release());
    await settle();
    expect(allByTestId(container, 'hop-row')).toHaveLength(4);
    unmount();
  });

  it('applies changed options to a running trace as a restart and marks it', async () => {
    const { container, fake, unmount } = await mountApp();
    await startTrace(container, '192.0.2.1');
    const running = summary({ id: 's1', state: 'running' }, { target: '192.0.2.1' });
    fake.emit('sessionEvents', stateBatch(running, 1, [hopsEvent(0)]));
    expect(byTestId(container, 'apply-button')).toBeNull();

    typeInto(byTestId(container, 'interval-input') as HTMLInputElement, '0.5');
    await click(byTestId(container, 'apply-button')!);
    expect(fake.handlers.updateSession).toHaveBeenCalledWith({
      sessionId: 's1',
      options: expect.objectContaining({ target: '192.0.2.1', intervalSec: 0.5 }),
    });
    expect(fake.handlers.startSession).toHaveBeenCalledTimes(1);

    const restarted = summary(
      { id: 's1', state: 'running', rounds: 7, restarts: [{ at: 1_700_000_007_000, round: 7 }] },
      { target: '192.0.2.1', intervalSec: 0.5 },
    );
    fake.emit('sessionEvents', stateBatch(restarted, 2));
    expect(byTestId(container, 'restart-marker')!.textContent).toContain('Restarted at round 7');
    // The form now matches the session: nothing left to apply, and history was kept.
    expect(byTestId(container, 'apply-button')).toBeNull();
    expect(allByTestId(container, 'hop-row')).toHaveLength(4);
    unmount();
  });

  it('shows an engine refusal next to its field', async () => {
    const fake = fakeApi();
    fake.handlers.startSession.mockImplementation(() =>
      Promise.resolve({
        ok: false,
        error: {
          code: 'invalid-request',
          field: 'localIp',
          message: 'localIp: must be an IPv4 or IPv6 address literal',
        },
      }),
    );
    const { container, unmount } = await mountApp(fake);
    await startTrace(container);
    const localIp = container.querySelector<HTMLSelectElement>('select[name="localIp"]')!;
    expect(container.querySelector('details')!.open).toBe(true);
    const note = document.getElementById(`${localIp.id}-note`)!;
    expect(note.textContent).toBe('must be an IPv4 or IPv6 address literal');
    expect(byTestId(container, 'error-banner')).toBeNull();
    unmount();
  });

  it('explains a missing mtr-packet with the fix command', async () => {
    const fake = fakeApi();
    fake.handlers.checkMtrPacket.mockImplementation(() =>
      ok({
        available: false,
        path: null,
        version: null,
        features: {},
        error: {
          code: 'mtr-packet-missing',
          title: 'mtr-packet not found',
          detail: 'No mtr-packet on PATH.',
          fix: 'Install mtr: `sudo apt install mtr-tiny` (Debian/Ubuntu).',
        },
      }),
    );
    const { container, unmount } = await mountApp(fake);
    const banner = byTestId(container, 'error-banner')!;
    expect(banner.textContent).toContain('mtr-packet not found');
    expect(banner.querySelector('code')!.textContent).toBe('sudo apt install mtr-tiny');
    expect(banner.getAttribute('role')).toBe('alert');
    await click(banner.querySelector('[aria-label="Dismiss"]')!);
    expect(byTestId(container, 'error-banner')).toBeNull();
    unmount();
  });

  it('shows a session failure with its fix in the tab', async () => {
    const { container, fake, unmount } = await mountApp();
    await startTrace(container);
    const failed = summary(
      {
        id: 's1',
        state: 'failed',
        error: {
          code: 'mtr-packet-permission',
          title: 'mtr-packet may not open raw sockets',
          detail: 'Permission denied.',
          fix: 'Give mtr-packet the raw-socket capability: `sudo setcap cap_net_raw+ep /usr/bin/mtr-packet`.',
        },
      },
      { target: '192.0.2.1' },
    );
    fake.emit('sessionEvents', stateBatch(failed, 1));
    const banner = byTestId(container, 'error-banner')!;
    expect(banner.textContent).toContain('raw sockets');
    expect(banner.querySelector('code')!.textContent).toBe('sudo setcap cap_net_raw+ep /usr/bin/mtr-packet');
    expect(byTestId(container, 'start-button')).not.toBeNull();
    unmount();
  });

  it('opens a saved trace read-only, with graph, table and sparklines from its samples', async () => {
    const fake = fakeApi();
    fake.handlers.openTraceFile.mockImplementation(() =>
      ok({ ok: true as const, document: sampleDocument(), sourceFormat: 'hopscope', fileName: 'saved.json' }),
    );
    const { container, store, unmount } = await mountApp(fake);
    await click(byTestId(container, 'open-trace')!);
    await settle();
    expect(store.getState().tabs).toHaveLength(2);
    expect(allByTestId(container, 'hop-row').map((r) => r.dataset.address)).toEqual([
      '10.9.0.1',
      '10.9.0.2',
      '192.0.2.9',
    ]);
    expect(allByTestId(container, 'sparkline')).toHaveLength(3);
    expect(allByTestId(container, 'sparkline').every((s) => s.querySelector('path') !== null)).toBe(true);
    expect(byTestId(container, 'file-panel')!.textContent).toContain('saved.json');
    expect(byTestId(container, 'status-state')!.textContent).toContain('read-only');
    expect(byTestId(container, 'status-destination')!.textContent).toBe('Destination reached at hop 3');
    expect(container.querySelector('[data-testid="target-input"]')).toBeNull();

    // Trace again: a new live tab with the file's target and options.
    await click([...container.querySelectorAll('button')].find((b) => b.textContent === 'Trace this target again')!);
    expect(store.getState().tabs).toHaveLength(3);
    expect((byTestId(container, 'target-input') as HTMLInputElement).value).toBe('saved.example');
    expect((byTestId(container, 'count-input') as HTMLInputElement).value).toBe('3');
    unmount();
  });

  it('a malformed file gets a banner naming the problem and leaves the current tab as it was', async () => {
    const fake = fakeApi();
    const { container, store, unmount } = await mountApp(fake);
    await startTrace(container);
    fake.emit('sessionEvents', stateBatch(summary({ id: 's1' }, { target: '192.0.2.1' }), 1, [hopsEvent(0)]));
    const before = {
      tabs: store.getState().tabs,
      active: store.getState().activeTabId,
      html: byTestId(container, 'hop-row')!.outerHTML,
    };

    const text = '{"format": "hopscope.trace", "version": 1,\n  "hops": [ }';
    const expected = parseTraceFile(text);
    expect(expected.ok).toBe(false);
    fake.handlers.openTraceFile.mockImplementation(() =>
      fake.handlers.importTraceText({ fileName: 'broken.json', text }),
    );
    await click(byTestId(container, 'open-trace')!);
    await settle();

    const banner = byTestId(container, 'error-banner')!;
    expect(banner.textContent).toContain('Could not open broken.json');
    expect(banner.textContent).toContain(expected.ok ? '' : expected.error);
    expect(store.getState().tabs).toBe(before.tabs);
    expect(store.getState().activeTabId).toBe(before.active);
    expect(byTestId(container, 'hop-row')!.outerHTML).toBe(before.html);
    unmount();
  });

  it('imports a dropped file through importTraceText', async () => {
    const { container, fake, store, unmount } = await mountApp();
    const text = JSON.stringify(sampleDocument());
    const file = new File([text], 'dropped.json', { type: 'application/json' });
    const drop = new Event('drop', { bubbles: true, cancelable: true }) as DragEvent;
    Object.defineProperty(drop, 'dataTransfer', { value: { types: ['Files'], files: [file] } });
    await act(async () => {
      window.dispatchEvent(drop);
    });
    await settle();
    await settle();
    expect(drop.defaultPrevented).toBe(true);
    expect(fake.handlers.importTraceText).toHaveBeenCalledWith({ fileName: 'dropped.json', text });
    expect(store.getState().tabs.at(-1)!.mode).toBe('file');
    expect(allByTestId(container, 'hop-row')).toHaveLength(3);
    unmount();
  });

  it('exports JSON from the engine for live tabs and from the store for files, and copies a report', async () => {
    const fake = fakeApi();
    fake.handlers.openTraceFile.mockImplementation(() =>
      ok({ ok: true as const, document: sampleDocument(), sourceFormat: 'hopscope', fileName: 'saved.json' }),
    );
    const { container, writeClipboard, unmount } = await mountApp(fake);
    await startTrace(container);
    fake.emit('sessionEvents', stateBatch(summary({ id: 's1' }, { target: '192.0.2.1' }), 1, [hopsEvent(0)]));
    await click(byTestId(container, 'export-json')!);
    await settle();
    expect(fake.handlers.getSessionDocument).toHaveBeenCalledWith({ sessionId: 's1' });
    expect(fake.handlers.saveTraceJson).toHaveBeenLastCalledWith({
      suggestedName: expect.stringMatching(/^hopscope-192\.0\.2\.1-\d{8}-\d{6}$/),
      document: sampleDocument(),
    });
    expect(byTestId(container, 'info-banner')!.textContent).toContain('Saved /tmp/trace.json');

    await click(byTestId(container, 'open-trace')!);
    await settle();
    await click(byTestId(container, 'export-json')!);
    await settle();
    expect(fake.handlers.getSessionDocument).toHaveBeenCalledTimes(1);
    const saved = (fake.handlers.saveTraceJson.mock.lastCall as [{ document: TraceDocument }])[0].document;
    expect(saved).toEqual(sampleDocument());

    await click(byTestId(container, 'copy-report')!);
    await settle();
    expect(writeClipboard).toHaveBeenCalledWith(formatReport(sampleDocument()));
    unmount();
  });

  it('runs keyboard shortcuts and menu commands', async () => {
    const { container, fake, store, unmount } = await mountApp();
    key({ key: 't', ctrlKey: true });
    expect(store.getState().tabs).toHaveLength(2);
    fake.emit('menuCommand', 'new-tab');
    expect(store.getState().tabs).toHaveLength(3);

    // An untouched, empty form is pointed out, not sent.
    expect(container.querySelector('.hs-field-error')).toBeNull();
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    });
    await settle();
    expect(fake.handlers.startSession).not.toHaveBeenCalled();
    expect(container.querySelector('.hs-field-error')!.textContent).toBe('target is empty');

    typeInto(byTestId(container, 'target-input') as HTMLInputElement, '192.0.2.7');
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    });
    await settle();
    expect(fake.handlers.startSession).toHaveBeenCalledWith(expect.objectContaining({ target: '192.0.2.7' }));
    fake.emit('sessionEvents', stateBatch(summary({ id: 's1' }, { target: '192.0.2.7' }), 1));
    fake.emit('menuCommand', 'start-stop');
    await settle();
    expect(fake.handlers.stopSession).toHaveBeenCalledWith({ sessionId: 's1' });

    key({ key: 'o', metaKey: true });
    await settle();
    expect(fake.handlers.openTraceFile).toHaveBeenCalledTimes(1);

    key({ key: '1', ctrlKey: true });
    expect(store.getState().activeTabId).toBe(store.getState().tabs[0]!.id);
    unmount();
  });

  it('closes a tab and its session, keeping one tab open', async () => {
    const { container, fake, store, unmount } = await mountApp();
    await startTrace(container);
    await click(container.querySelector('.hs-tab-close')!);
    await settle();
    expect(fake.handlers.closeSession).toHaveBeenCalledWith({ sessionId: 's1' });
    expect(store.getState().tabs).toHaveLength(1);
    expect(store.getState().tabs[0]!.sessionId).toBeNull();
    unmount();
  });
});
