import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import type { TraceDocument } from '@shared/traceFile';
import { draftFromDocument } from '../../src/renderer/src/options/formModel';
import { validateDraft } from '../../src/renderer/src/options/formChecks';
import { formChecks } from '../../src/renderer/src/options/lazyFormChecks';
import { render } from './renderInDom';
import { FormWithState } from './formWithState';

const byTestId = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);

function choose(select: HTMLSelectElement, value: string): void {
  act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('trace this target again', () => {
  // The form as the app shows it once its first screen is drawn (the checks preloaded).
  beforeAll(() => formChecks.load());

  it("traces a file's target again without inventing what the file did not record", () => {
    const imported: TraceDocument = {
      format: 'hopscope.trace',
      version: 1,
      tool: { name: 'mtr', version: '0.95', mtrPacketVersion: null },
      target: { input: 'target.hopscope.test', address: '198.18.8.2', ipVersion: 4 },
      options: { size: 64, tos: 0 },
      destinationReached: true,
      hops: [],
    };
    const draft = draftFromDocument(imported);
    expect(draft.notRecorded).toEqual([
      'protocol',
      'port',
      'firstTtl',
      'maxTtl',
      'count',
      'intervalSec',
      'timeoutSec',
      'dns',
    ]);
    expect([draft.firstTtl, draft.maxTtl, draft.intervalSec, draft.timeoutSec]).toEqual(['', '', '', '']);
    expect(draft.size).toBe('64');
    // Empty means the usual default, which the form names.
    expect(validateDraft(draft)).toMatchObject({ ok: true, options: { intervalSec: 1, maxTtl: 30 } });
    const { container, unmount } = render(<FormWithState initial={draft} />);
    const notice = byTestId(container, 'not-recorded')!;
    expect(notice.textContent).toContain('protocol ICMP');
    expect(notice.textContent).toContain('interval 1 s');
    // Choosing a protocol takes it (and its port) off the list.
    choose(byTestId(container, 'protocol-select') as HTMLSelectElement, 'udp');
    expect(byTestId(container, 'not-recorded')!.textContent).not.toContain('protocol');
    unmount();

    // A Hopscope file records every option: nothing to say.
    const own = draftFromDocument({
      ...imported,
      options: {
        protocol: 'tcp',
        port: 443,
        firstTtl: 1,
        maxTtl: 30,
        count: 10,
        intervalSec: 0.5,
        timeoutSec: 10,
        dns: true,
      },
    });
    expect(own.notRecorded).toBeUndefined();
    expect(own).toMatchObject({ protocol: 'tcp', port: '443', intervalSec: '0.5', count: '10', continuous: false });
  });
});
