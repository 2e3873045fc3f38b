/**
 * Session files in the whole App, against a fake api: Open of a session file
 * gives a stored tab whose timeline reads the file's id (even with the app's
 * history off), Export session asks main for the tab's stored session, a
 * new trace of its target does not continue the read-only file, and closing
 * the tab closes the file. A session file dropped on the window opens as with Open.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { act } from 'react';
import { SESSION_FILE_FORMAT, SESSION_FILE_ID_BASE } from '@shared/sessionFileFormat';
import type { StoredSessionInfo } from '@shared/storedSessions';
import { byTestId, click, fakeApi, mountApp, ok, sampleDocument, settle, startTrace } from './appHarness';

const T0 = Date.UTC(2026, 10, 29, 2, 50);
const FILE_ID = SESSION_FILE_ID_BASE + 1;

const info: StoredSessionInfo = {
  id: FILE_ID,
  uid: 'colleague',
  target: 'far.example',
  targetAddress: '192.0.2.1',
  startedAt: T0,
  endedAt: T0 + 86_400_000,
  lastAt: T0 + 86_400_000,
  rounds: 86_400,
  samples: 2_592_000,
  approxBytes: 13_000_000,
  state: 'finished',
  live: false,
};

/** Waits for the lazy timeline chunk, its debounce and the fake's answers. */
async function drawn(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
    });
    await settle();
  }
}

// jsdom lays nothing out: the timeline's plot gets a width, as in timeline.test.tsx.
const width = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('hs-tl-body') ? 1000 : 0;
    },
  });
});
afterAll(() => {
  if (width) Object.defineProperty(HTMLElement.prototype, 'clientWidth', width);
});
afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

/** What main answers for a session file opened (with Open, or dropped). */
const opened = (fileName: string) =>
  ok({ ok: true as const, document: sampleDocument(), sourceFormat: SESSION_FILE_FORMAT, fileName, stored: info });

async function openSessionFile() {
  const fake = fakeApi();
  fake.handlers.openTraceFile.mockImplementation(() => opened('colleague.duckdb'));
  const mounted = await mountApp(fake);
  expect((byTestId(mounted.container, 'export-session') as HTMLButtonElement).disabled).toBe(true);
  await click(byTestId(mounted.container, 'open-trace')!);
  await settle();
  return mounted;
}

it('opens as a stored tab whose timeline reads the file, with the history off', async () => {
  const { container, fake } = await openSessionFile();
  expect(byTestId(container, 'file-panel')!.textContent).toContain('colleague.duckdb');
  await drawn();
  expect(fake.handlers.getTimeline).toHaveBeenCalled();
  expect(fake.handlers.getTimeline.mock.calls.map(([request]) => (request as { id: number }).id)).toEqual(
    fake.handlers.getTimeline.mock.calls.map(() => FILE_ID),
  );
  expect(fake.handlers.getTimelineMarkers).toHaveBeenCalledWith(expect.objectContaining({ id: FILE_ID }));
  expect(byTestId(container, 'timeline')!.dataset['state']).not.toBe('unavailable');
  expect((byTestId(container, 'export-session') as HTMLButtonElement).disabled).toBe(false);
});

/** Drops `file` on the window as a person would. */
async function drop(file: File): Promise<void> {
  const event = new Event('drop', { bubbles: true, cancelable: true }) as DragEvent;
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files: [file] } });
  await act(async () => {
    window.dispatchEvent(event);
  });
  await settle();
}

/** A file whose bytes begin as a DuckDB database's ("DUCK" at byte 8). */
function duckDbFile(name: string): File {
  const bytes = new Uint8Array(4096);
  bytes.set(new TextEncoder().encode('DUCK'), 8);
  return new File([bytes], name);
}

it('dropped on the window, a session file opens as with Open: a stored tab that reads the file', async () => {
  const fake = fakeApi();
  fake.handlers.openDroppedSessionFile.mockImplementation(() => opened('dropped.duckdb'));
  const { container } = await mountApp(fake);
  const file = duckDbFile('dropped.duckdb');
  await drop(file);
  // The File itself goes to the api (Electron's preload reads its path there); it is never read as text.
  expect(fake.handlers.openDroppedSessionFile.mock.calls).toEqual([[file]]);
  expect(fake.handlers.importTraceText).not.toHaveBeenCalled();
  expect(container.querySelector('[data-testid="error-banner"]')).toBeNull();
  expect(byTestId(container, 'file-panel')!.textContent).toContain('dropped.duckdb');
  expect((byTestId(container, 'export-session') as HTMLButtonElement).disabled).toBe(false);
  await drawn();
  expect(fake.handlers.getTimeline).toHaveBeenCalledWith(expect.objectContaining({ id: FILE_ID }));
});

it('a dropped session file that cannot be opened gets a banner with main’s reason; no tab opens', async () => {
  const fake = fakeApi();
  const { container, store } = await mountApp(fake);
  const tabs = store.getState().tabs.length;
  await drop(duckDbFile('cut.duckdb'));
  const banner = byTestId(container, 'error-banner')!;
  expect(banner.textContent).toContain('Could not open cut.duckdb');
  expect(banner.textContent).toContain('no session file here');
  expect(store.getState().tabs).toHaveLength(tabs);
});

it('Export session asks main for the tab’s stored session and says where it went', async () => {
  const { container, fake } = await openSessionFile();
  await click(byTestId(container, 'export-session')!);
  await settle();
  expect(fake.handlers.exportSessionFile.mock.calls).toEqual([
    [{ id: FILE_ID, suggestedName: expect.stringMatching(/^hopscope-colleague\.duckdb-/) }],
  ]);
  expect(container.textContent).toContain('Saved the session to /tmp/session.duckdb');
  expect(container.textContent).toContain('All 2,592,000 samples');
});

it('Ctrl+Shift+X exports the session too, as the button says', async () => {
  const { container, fake } = await openSessionFile();
  expect(byTestId(container, 'export-session')!.title).toContain('(Ctrl+Shift+X)');
  await act(async () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'X', ctrlKey: true, shiftKey: true, bubbles: true }));
  });
  await settle();
  expect(fake.handlers.exportSessionFile.mock.calls).toEqual([
    [{ id: FILE_ID, suggestedName: expect.stringMatching(/^hopscope-colleague\.duckdb-/) }],
  ]);
});

it('a new trace of its target opens a tab to start, as for any file: the file is not continued', async () => {
  const { container, fake, store } = await openSessionFile();
  await click(byTestId(container, 'trace-again')!);
  await settle();
  expect(fake.handlers.startSession).not.toHaveBeenCalled();
  expect(store.getState().tabs.find((t) => t.id === store.getState().activeTabId)!.mode).toBe('live');
});

it('closing its tab closes the file; a live tab without a stored session has nothing to export', async () => {
  const { container, fake } = await openSessionFile();
  await click(container.querySelector('[data-testid="tab"].is-active .hs-tab-close')!);
  await settle();
  expect(fake.handlers.closeSessionFile.mock.calls).toEqual([[{ id: FILE_ID }]]);
  await startTrace(container);
  expect((byTestId(container, 'export-session') as HTMLButtonElement).disabled).toBe(true);
});
