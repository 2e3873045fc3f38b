import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, useState } from 'react';
import { OptionsForm } from '../../src/renderer/src/options/OptionsForm';
import type { RunControls } from '../../src/renderer/src/options/RunControls';
import {
  defaultDraft,
  describeTos,
  draftFromOptions,
  type OptionsDraft,
} from '../../src/renderer/src/options/formModel';
import { draftDiffers, validateDraft } from '../../src/renderer/src/options/formChecks';
import { formChecks } from '../../src/renderer/src/options/lazyFormChecks';
import { readTargetHistory, rememberTarget } from '../../src/renderer/src/options/targetHistory';
import type { MtrPacketStatus } from '@shared/ipc';
import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';
import { render } from './renderInDom';

/** The message the shared schema gives for `input`, so these tests never restate ranges either. */
function schemaMessage(input: Partial<TraceOptionsInput>): string {
  const result = traceOptionsSchema.safeParse({ target: 'target.hopscope.test', ...input });
  if (result.success) throw new Error('expected the schema to refuse this');
  return result.error.issues[0]!.message;
}

const STATUS: MtrPacketStatus = {
  available: true,
  path: '/usr/bin/mtr-packet',
  version: '0.95',
  features: { udp: true, tcp: true, sctp: false, 'ip-4': true, 'ip-6': true, mark: true },
};

function noRun(over: Partial<RunControls> = {}): RunControls {
  return {
    state: null,
    busy: false,
    dirty: false,
    onStart: vi.fn(),
    onStop: vi.fn(),
    onPauseResume: vi.fn(),
    onApply: vi.fn(),
    ...over,
  };
}

/** The form with its draft in state, as the app holds it. */
function StatefulForm({
  initial = defaultDraft(),
  run = noRun(),
  status = STATUS,
  onDraft,
}: {
  initial?: OptionsDraft;
  run?: RunControls;
  status?: MtrPacketStatus | null;
  onDraft?: (d: OptionsDraft) => void;
}) {
  const [draft, setDraft] = useState(initial);
  return (
    <OptionsForm
      draft={draft}
      onChange={(patch) => {
        const next = { ...draft, ...patch };
        onDraft?.(next);
        setDraft(next);
      }}
      mtrStatus={status}
      platform="linux"
      localAddresses={[
        { interface: 'eth0', address: '192.0.2.10', ipVersion: 4, internal: false, addressClass: 'documentation' },
        { interface: 'eth0', address: '2001:db8::10', ipVersion: 6, internal: false, addressClass: 'documentation' },
        { interface: 'lo', address: '127.0.0.1', ipVersion: 4, internal: true, addressClass: 'loopback' },
      ]}
      history={['target.hopscope.test', '192.0.2.1']}
      run={run}
    />
  );
}

/** The form of a running trace, as the app shows it. */
function runningForm(draft: OptionsDraft, run: RunControls) {
  return (
    <OptionsForm
      draft={draft}
      onChange={() => {}}
      mtrStatus={STATUS}
      platform="linux"
      localAddresses={[]}
      history={[]}
      run={run}
    />
  );
}

const byTestId = <T extends Element = HTMLElement>(root: ParentNode, id: string) =>
  root.querySelector<T & Element>(`[data-testid="${id}"]`);

/** Types a value the way React notices: native setter, then an input event. */
function typeInto(input: HTMLInputElement, value: string): void {
  act(() => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function choose(select: HTMLSelectElement, value: string): void {
  act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

const click = (el: Element) => act(() => el.dispatchEvent(new MouseEvent('click', { bubbles: true })));

/** The message shown next to an input (its aria-describedby note). */
function noteOf(container: HTMLElement, input: Element): string {
  const id = input.getAttribute('aria-describedby');
  return id ? (container.ownerDocument.getElementById(id)?.textContent ?? '') : '';
}

function submit(container: HTMLElement): void {
  const form = container.querySelector('form')!;
  act(() => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('options form model', () => {
  it('fills the schema defaults and turns a valid draft into options', () => {
    const draft = { ...defaultDraft(), target: 'target.hopscope.test' };
    const result = validateDraft(draft);
    expect(result).toEqual({ ok: true, options: traceOptionsSchema.parse({ target: 'target.hopscope.test' }) });
  });

  it('leaves out the ports of ICMP and says which field is wrong', () => {
    const draft = { ...defaultDraft(), target: 'target.hopscope.test', port: '99999', localPort: 'x' };
    expect(validateDraft(draft).ok).toBe(true);
    expect(validateDraft({ ...draft, protocol: 'udp' })).toEqual({
      ok: false,
      issue: { field: 'port', message: schemaMessage({ protocol: 'udp', port: 99999 }) },
    });
    expect(validateDraft({ ...defaultDraft(), target: 'a', continuous: false, count: 'lots' })).toEqual({
      ok: false,
      issue: { field: 'count', message: 'count must be a number' },
    });
  });

  it('round-trips session options and notices a change', () => {
    const options = traceOptionsSchema.parse({ target: '192.0.2.1', protocol: 'tcp', port: 443, count: 5, tos: 184 });
    const draft = draftFromOptions(options);
    expect(validateDraft(draft)).toEqual({ ok: true, options });
    expect(draftDiffers(draft, options)).toBe(false);
    expect(draftDiffers({ ...draft, intervalSec: '2' }, options)).toBe(true);
    expect(draftDiffers({ ...draft, target: 'bad host' }, options)).toBe(true);
  });

  it('catches address families that cannot work together', () => {
    const draft = { ...defaultDraft(), target: '192.0.2.1' };
    expect(validateDraft({ ...draft, ipVersion: '6' })).toEqual({
      ok: false,
      issue: { field: 'ipVersion', message: 'the target 192.0.2.1 is an IPv4 address, and IPv6 was asked for' },
    });
    expect(validateDraft({ ...draft, localIp: '2001:db8::1' })).toEqual({
      ok: false,
      issue: { field: 'localIp', message: 'source address 2001:db8::1 is IPv6, and the target 192.0.2.1 is IPv4' },
    });
    expect(validateDraft({ ...draft, target: 'target.hopscope.test', ipVersion: '6', localIp: '2001:db8::1' }).ok).toBe(
      true,
    );
  });

  it('names DSCP classes of a TOS byte', () => {
    expect(describeTos(184)).toBe('DSCP 46 (EF)');
    expect(describeTos(0)).toBe('DSCP 0 (best effort)');
    expect(describeTos(136)).toBe('DSCP 34 (AF41)');
    expect(describeTos(32)).toBe('DSCP 8 (CS1)');
    expect(describeTos(1)).toBe('DSCP 0 (best effort), ECN 1');
  });

  it('remembers the last ten distinct valid targets, newest first', () => {
    for (let i = 0; i < 12; i++) rememberTarget(`host${i}.example`);
    rememberTarget('host5.example');
    const history = readTargetHistory();
    expect(history).toHaveLength(10);
    expect(history[0]).toBe('host5.example');
    expect(history.filter((t) => t === 'host5.example')).toHaveLength(1);
    localStorage.setItem('hopscope.targetHistory', JSON.stringify(['ok.example', 'bad\nname', 42]));
    expect(readTargetHistory()).toEqual(['ok.example']);
  });
});

describe('OptionsForm', () => {
  // The form as the app shows it once its first screen is drawn (the checks preloaded).
  beforeAll(() => formChecks.load());

  it('says why a target is bad as it is typed, before anything is sent', () => {
    const run = noRun();
    const { container, unmount } = render(<StatefulForm run={run} />);
    const target = byTestId<HTMLInputElement>(container, 'target-input')!;
    // Untouched and empty: no scolding yet, just the hint.
    expect(noteOf(container, target)).toBe('Host name, IPv4 or IPv6 address');

    typeInto(target, 'exa mple.com');
    expect(noteOf(container, target)).toBe(schemaMessage({ target: 'exa mple.com' }));
    expect(target.getAttribute('aria-invalid')).toBe('true');

    submit(container);
    expect(run.onStart).not.toHaveBeenCalled();

    typeInto(target, '2001:db8::1');
    expect(noteOf(container, target)).toBe('Host name, IPv4 or IPv6 address');
    expect(target.hasAttribute('aria-invalid')).toBe(false);
    submit(container);
    expect(run.onStart).toHaveBeenCalledTimes(1);
    unmount();
  });

  it('shows the first schema issue next to its own field', () => {
    const run = noRun();
    const { container, unmount } = render(
      <StatefulForm run={run} initial={{ ...defaultDraft(), target: 'a.example' }} />,
    );
    const maxTtl = byTestId<HTMLInputElement>(container, 'max-ttl-input')!;
    typeInto(maxTtl, '300');
    expect(noteOf(container, maxTtl)).toBe(schemaMessage({ maxTtl: 300 }));

    typeInto(maxTtl, '3');
    const firstTtl = byTestId<HTMLInputElement>(container, 'first-ttl-input')!;
    typeInto(firstTtl, '5');
    // The cross-field rule lands on first TTL, as the schema says.
    expect(noteOf(container, firstTtl)).toBe(schemaMessage({ firstTtl: 5, maxTtl: 3 }));
    expect(noteOf(container, maxTtl)).toBe('');

    const interval = byTestId<HTMLInputElement>(container, 'interval-input')!;
    typeInto(firstTtl, '1');
    typeInto(interval, '0.001');
    expect(noteOf(container, interval)).toBe(schemaMessage({ intervalSec: 0.001 }));
    submit(container);
    expect(run.onStart).not.toHaveBeenCalled();
    unmount();
  });

  it('opens Advanced to show a problem hidden in it on submit', () => {
    const run = noRun();
    const { container, unmount } = render(
      <StatefulForm run={run} initial={{ ...defaultDraft(), target: 'a.example', tos: '999' }} />,
    );
    const details = container.querySelector('details')!;
    expect(details.open).toBe(false);
    submit(container);
    expect(details.open).toBe(true);
    const tos = container.querySelector<HTMLInputElement>('input[name="tos"]')!;
    expect(noteOf(container, tos)).toBe(schemaMessage({ tos: 999 }));
    expect(run.onStart).not.toHaveBeenCalled();
    unmount();
  });

  it('enables the port only for UDP, TCP and SCTP, with presets', () => {
    const status = { ...STATUS, features: { ...STATUS.features, sctp: true } };
    const drafts: OptionsDraft[] = [];
    const { container, unmount } = render(<StatefulForm status={status} onDraft={(d) => drafts.push(d)} />);
    const protocol = byTestId<HTMLSelectElement>(container, 'protocol-select')!;
    const port = () => byTestId<HTMLInputElement>(container, 'port-input')!;
    const presets = () => [...container.querySelectorAll<HTMLButtonElement>('.hs-port-presets button')];

    expect(port().disabled).toBe(true);
    expect(presets().every((b) => b.disabled)).toBe(true);
    for (const p of ['udp', 'tcp', 'sctp']) {
      choose(protocol, p);
      expect(port().disabled, p).toBe(false);
    }
    choose(protocol, 'tcp');
    click(presets().find((b) => b.textContent?.startsWith('443'))!);
    expect(port().value).toBe('443');
    expect(drafts.at(-1)).toMatchObject({ protocol: 'tcp', port: '443' });
    choose(protocol, 'icmp');
    expect(port().disabled).toBe(true);
    expect(port().value).toBe('');
    unmount();
  });

  it('disables SCTP when mtr-packet does not support it and says why', () => {
    const { container, unmount } = render(<StatefulForm />);
    const protocol = byTestId<HTMLSelectElement>(container, 'protocol-select')!;
    const sctp = protocol.querySelector<HTMLOptionElement>('option[value="sctp"]')!;
    expect(sctp.disabled).toBe(true);
    expect(sctp.title).toContain('check-support sctp');
    expect(sctp.title).toContain('mtr-packet 0.95');
    expect(protocol.title).toContain('SCTP is not supported');
    expect(protocol.querySelector<HTMLOptionElement>('option[value="udp"]')!.disabled).toBe(false);
    expect(protocol.querySelector<HTMLOptionElement>('option[value="tcp"]')!.disabled).toBe(false);
    // The note under Protocol only while the menu is pointed at or focused, not all the time.
    expect(byTestId(container, 'protocol-note')).toBeNull();
    act(() => protocol.dispatchEvent(new FocusEvent('focusin', { bubbles: true })));
    expect(byTestId(container, 'protocol-note')!.textContent).toContain('SCTP not supported by mtr-packet 0.95');
    act(() => protocol.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
    expect(byTestId(container, 'protocol-note')).toBeNull();
    unmount();

    // Unknown support (not checked yet) disables nothing.
    const unknown = render(<StatefulForm status={null} />);
    const sctpUnknown = unknown.container.querySelector<HTMLOptionElement>('option[value="sctp"]')!;
    expect(sctpUnknown.disabled).toBe(false);
    unknown.unmount();
  });

  it('switches between continuous and a count', () => {
    const drafts: OptionsDraft[] = [];
    const { container, unmount } = render(
      <StatefulForm initial={{ ...defaultDraft(), target: 'a.example' }} onDraft={(d) => drafts.push(d)} />,
    );
    const count = byTestId<HTMLInputElement>(container, 'count-input')!;
    const continuous = container.querySelector<HTMLInputElement>('input[name="continuous"]')!;
    expect(continuous.checked).toBe(true);
    typeInto(count, '25');
    expect(continuous.checked).toBe(false);
    expect(validateDraft(drafts.at(-1)!)).toMatchObject({ ok: true, options: { count: 25 } });
    click(continuous);
    expect(validateDraft(drafts.at(-1)!)).toMatchObject({ ok: true, options: { count: null } });
    unmount();
  });

  it('shows Stop and Pause while running, and Apply when the options changed', () => {
    const run = noRun({ state: 'running' });
    const { container, rerender, unmount } = render(runningForm({ ...defaultDraft(), target: 'a.example' }, run));
    expect(byTestId(container, 'start-button')).toBeNull();
    expect(byTestId(container, 'apply-button')).toBeNull();
    click(byTestId(container, 'stop-button')!);
    expect(run.onStop).toHaveBeenCalledTimes(1);
    click(byTestId(container, 'pause-button')!);
    expect(run.onPauseResume).toHaveBeenCalledTimes(1);

    const dirtyRun = { ...run, dirty: true };
    rerender(runningForm({ ...defaultDraft(), target: 'a.example', intervalSec: '2' }, dirtyRun));
    // Enter in any field applies the change as a marked restart.
    submit(container);
    expect(run.onApply).toHaveBeenCalledTimes(1);
    expect(run.onStart).not.toHaveBeenCalled();
    expect(byTestId(container, 'apply-button')!.textContent).toContain('Apply changes');
    expect(byTestId(container, 'apply-button')!.getAttribute('aria-disabled')).toBeNull();

    // An invalid form: Apply looks disabled, and submitting points at the field instead of applying.
    rerender(runningForm({ ...defaultDraft(), target: 'a.example', intervalSec: 'soon' }, dirtyRun));
    expect(byTestId(container, 'apply-button')!.getAttribute('aria-disabled')).toBe('true');
    submit(container);
    expect(run.onApply).toHaveBeenCalledTimes(1);
    unmount();
  });

  it('offers target history and local source addresses of the chosen IP version', () => {
    const { container, unmount } = render(<StatefulForm />);
    const target = byTestId<HTMLInputElement>(container, 'target-input')!;
    const list = container.ownerDocument.getElementById(target.getAttribute('list')!)!;
    expect([...list.querySelectorAll('option')].map((o) => o.value)).toEqual(['target.hopscope.test', '192.0.2.1']);

    const source = byTestId<HTMLSelectElement>(container, 'source-select')!;
    const choices = () => [...source.querySelectorAll('option')].map((o) => o.value);
    // Loopback is left out: probes from it go nowhere.
    expect(choices()).toEqual(['', '192.0.2.10', '2001:db8::10']);
    choose(byTestId<HTMLSelectElement>(container, 'ip-version-select')!, '6');
    expect(choices()).toEqual(['', '2001:db8::10']);
    unmount();
  });
});
