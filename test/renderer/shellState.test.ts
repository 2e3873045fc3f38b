import { afterEach, describe, expect, it, vi } from 'vitest';
import { BannerQueue } from '../../src/renderer/src/app/bannerQueue';
import { writeClipboardText } from '../../src/renderer/src/app/clipboard';
import { createUiStore, dropTabUi, patchTabUi, tabUi } from '../../src/renderer/src/app/uiState';
import { defaultDraft } from '../../src/renderer/src/options/formModel';

afterEach(() => vi.unstubAllGlobals());

describe('per-tab UI state', () => {
  it('keeps a tab’s draft, busy flag and file in one record that closing removes with its banners', () => {
    const ui = createUiStore([]);
    const banners = new BannerQueue(ui);
    patchTabUi(ui, 't1', { draft: { ...defaultDraft(), target: 'a.hopscope.test' }, busy: true });
    patchTabUi(ui, 't1', { file: { fileName: 'trace.json', sourceFormat: 'hopscope' } });
    patchTabUi(ui, 't2', { busy: true });
    banners.showError({ title: 'Could not start the trace', detail: 'refused' }, 't1');
    banners.showError({ title: 'mtr-packet missing', detail: 'not found' }, null);

    patchTabUi(ui, 't1', { busy: undefined });
    expect(Object.keys(tabUi(ui.getState(), 't1')).sort()).toEqual(['draft', 'file']);

    dropTabUi(ui, 't1');
    expect(ui.getState().tabs).toEqual({ t2: { busy: true } });
    expect(ui.getState().banners.map((b) => b.title)).toEqual(['mtr-packet missing']);
    expect(tabUi(ui.getState(), 't1')).toEqual({});
  });

  it('turns an engine refusal of a form field into that field’s error, anything else into a banner', () => {
    const ui = createUiStore([]);
    const banners = new BannerQueue(ui);
    banners.reportCallError('t1', 'Could not start the trace', {
      code: 'invalid-request',
      field: 'options.maxTtl',
      message: 'options.maxTtl: must be at most 255',
    });
    expect(tabUi(ui.getState(), 't1').remoteIssue).toEqual({ field: 'maxTtl', message: 'must be at most 255' });
    expect(ui.getState().banners).toEqual([]);

    banners.reportCallError('t1', 'Could not start the trace', { code: 'failed', message: 'boom' });
    banners.reportCallError('t1', 'Could not start the trace', { code: 'failed', message: 'boom' });
    expect(ui.getState().banners.map((b) => [b.title, b.detail, b.tabId])).toEqual([
      ['Could not start the trace', 'boom', 't1'],
    ]);
  });
});

describe('writeClipboardText', () => {
  it('writes through the Clipboard API', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    await writeClipboardText('report');
    expect(writeText).toHaveBeenCalledWith('report');
  });

  it('says why when the clipboard refuses or is missing', async () => {
    vi.stubGlobal('navigator', {
      clipboard: { writeText: vi.fn(async () => Promise.reject(new Error('Document is not focused.'))) },
    });
    await expect(writeClipboardText('report')).rejects.toThrow('the clipboard refused it: Document is not focused.');
    vi.stubGlobal('navigator', {});
    await expect(writeClipboardText('report')).rejects.toThrow('the clipboard is not available here');
  });
});
