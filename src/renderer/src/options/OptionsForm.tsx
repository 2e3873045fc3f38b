/**
 * The trace options form: point-and-click options, validated as a whole with
 * the shared schema, with the run controls (start, stop, pause, apply) at
 * its foot. It holds no trace state; the draft comes in and edits go out.
 */
import { useEffect, useId, useMemo, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import type { LocalAddress, MtrPacketStatus } from '@shared/ipc';
import {
  describeTos,
  defaultDraft,
  usesPorts,
  withChoice,
  type DraftField,
  type DraftValidation,
  type FieldIssue,
  type OptionsDraft,
} from './formModel';
import { loadedFormChecks, useFormChecks } from './lazyFormChecks';
import { featureAvailability, markAvailability } from './protocolSupport';
import { Field, PortPresets, TextInput, type InputExtras } from './fields';
import { RunControlsBar, type RunControls } from './RunControls';
import { ProtocolField, ProtocolNote } from './ProtocolField';
import { NotRecordedNotice } from './NotRecordedNotice';
import { ACTIVE_STATES } from '../store/selectors';
import './OptionsForm.css';

export interface OptionsFormProps {
  draft: OptionsDraft;
  onChange: (patch: Partial<OptionsDraft>) => void;
  mtrStatus: MtrPacketStatus | null;
  /** Where the engine runs (marks are Linux only). */
  platform: string;
  localAddresses: readonly LocalAddress[];
  history: readonly string[];
  /** A field the engine refused. */
  remoteIssue?: FieldIssue;
  run: RunControls;
  /**
   * Receives a function that submits the form as a click on Start would (so
   * the keyboard shortcut points out an invalid field too); null on unmount.
   */
  registerSubmit?: (submit: (() => void) | null) => void;
  /** Shown at the end of the form's scrolling body (the trace's events). */
  events?: ReactNode;
}

const ADVANCED_FIELDS: readonly DraftField[] = [
  'ipVersion',
  'localIp',
  'localPort',
  'size',
  'bitPattern',
  'tos',
  'mark',
  'timeoutSec',
  'dns',
];

const DEFAULTS = defaultDraft();

export function OptionsForm({
  draft,
  onChange,
  mtrStatus,
  platform,
  localAddresses,
  history,
  remoteIssue,
  run,
  registerSubmit,
  events,
}: OptionsFormProps) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [touched, setTouched] = useState<ReadonlySet<DraftField>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [protocolHover, setProtocolHover] = useState(false);

  // An engine refusal of a field inside Advanced opens it (state adjusted during render, no effect).
  const [seenRemoteIssue, setSeenRemoteIssue] = useState(remoteIssue);
  if (remoteIssue !== seenRemoteIssue) {
    setSeenRemoteIssue(remoteIssue);
    if (remoteIssue && ADVANCED_FIELDS.includes(remoteIssue.field)) setAdvancedOpen(true);
  }

  useEffect(() => {
    if (registerSubmit === undefined) return;
    registerSubmit(() => formRef.current?.requestSubmit());
    return () => registerSubmit(null);
  }, [registerSubmit]);

  // The checks load once the first screen is drawn; a draft nobody has been at has nothing to show before.
  const checks = useFormChecks();
  const validation = useMemo(() => checks?.validateDraft(draft), [checks, draft]);
  const localIssue = validation === undefined || validation.ok ? null : validation.issue;
  // The first problem, once the person has been at that field (or tried to start).
  const shownIssue = remoteIssue ?? (localIssue && (submitted || touched.has(localIssue.field)) ? localIssue : null);
  const errorFor = (field: DraftField) => (shownIssue?.field === field ? shownIssue.message : undefined);

  const change = (field: DraftField, patch: Partial<OptionsDraft>) => {
    if (!touched.has(field)) setTouched(new Set(touched).add(field));
    onChange(withChoice(draft, field, patch));
  };

  const ports = usesPorts(draft.protocol);
  const active = run.state !== null && ACTIVE_STATES.has(run.state);
  const markState = markAvailability(mtrStatus, platform);
  const advancedChanged = ADVANCED_FIELDS.filter((f) => draft[f] !== DEFAULTS[f]).length;

  const focusField = (field: DraftField) => {
    if (ADVANCED_FIELDS.includes(field)) setAdvancedOpen(true);
    // After the details element has opened.
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[name="${field}"]`)?.focus());
  };

  const submitChecked = (checked: DraftValidation) => {
    if (!checked.ok) {
      focusField(checked.issue.field);
      return;
    }
    if (!active) run.onStart();
    else if (run.dirty) run.onApply();
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (validation !== undefined) submitChecked(validation);
    // Checks not loaded yet: load them first. Should that fail, Start goes ahead and says why in a banner.
    else
      void Promise.resolve(loadedFormChecks()).then(
        (loaded) => submitChecked(loaded.validateDraft(draft)),
        () => !active && run.onStart(),
      );
  };

  const input = (field: DraftField, extra: InputExtras = {}) => (
    <TextInput
      id={`${id}-${field}`}
      field={field}
      value={String(draft[field])}
      error={errorFor(field)}
      onChange={(value) => change(field, { [field]: value })}
      {...extra}
    />
  );

  const addresses = localAddresses.filter(
    (a) => !a.internal && (draft.ipVersion === 'auto' || String(a.ipVersion) === draft.ipVersion),
  );
  const tosNumber = Number(draft.tos);

  return (
    <form ref={formRef} className="hs-options" onSubmit={onSubmit} noValidate aria-label="Trace options">
      <div className="hs-options-body">
        {draft.notRecorded !== undefined && <NotRecordedNotice fields={draft.notRecorded} />}
        <Field id={`${id}-target`} label="Target" error={errorFor('target')} hint="Host name, IPv4 or IPv6 address">
          <input
            id={`${id}-target`}
            name="target"
            data-testid="target-input"
            className="hs-input hs-input--target"
            type="text"
            inputMode="url"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="example.com"
            list={`${id}-history`}
            value={draft.target}
            aria-invalid={errorFor('target') ? true : undefined}
            aria-describedby={`${id}-target-note`}
            onChange={(e) => change('target', { target: e.currentTarget.value })}
            onBlur={() => draft.target !== '' && !touched.has('target') && setTouched(new Set(touched).add('target'))}
          />
          <datalist id={`${id}-history`}>
            {history.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </Field>

        <div className="hs-field-row">
          <ProtocolField
            id={id}
            protocol={draft.protocol}
            mtrStatus={mtrStatus}
            error={errorFor('protocol')}
            onHover={setProtocolHover}
            onChange={(protocol) => change('protocol', { protocol })}
          />
          <Field id={`${id}-port`} label="Port" error={errorFor('port')} hint={ports ? undefined : 'ICMP has no ports'}>
            <TextInput
              id={`${id}-port`}
              field="port"
              testId="port-input"
              value={ports ? draft.port : ''}
              disabled={!ports}
              placeholder={ports ? 'auto' : '—'}
              numeric
              title={ports ? 'Destination port; empty lets mtr-packet choose' : 'Ports apply to UDP, TCP and SCTP'}
              error={errorFor('port')}
              onChange={(value) => change('port', { port: value })}
            />
          </Field>
        </div>
        <ProtocolNote id={id} protocol={draft.protocol} mtrStatus={mtrStatus} hovered={protocolHover} />
        <PortPresets
          port={draft.port}
          enabled={ports}
          onPick={(port) => change('port', { port })}
          onCustom={() => formRef.current?.querySelector<HTMLInputElement>('[name="port"]')?.focus()}
        />

        <div className="hs-field-row">
          <Field id={`${id}-firstTtl`} label="First TTL" error={errorFor('firstTtl')}>
            {input('firstTtl', { testId: 'first-ttl-input', numeric: true })}
          </Field>
          <Field id={`${id}-maxTtl`} label="Max TTL" error={errorFor('maxTtl')}>
            {input('maxTtl', { testId: 'max-ttl-input', numeric: true })}
          </Field>
        </div>

        <div className="hs-field-row">
          <Field id={`${id}-count`} label="Rounds" error={errorFor('count')}>
            <div className="hs-rounds">
              <label className="hs-toggle" title="Probe until stopped">
                <input
                  type="checkbox"
                  name="continuous"
                  checked={draft.continuous}
                  onChange={(e) => change('continuous', { continuous: e.currentTarget.checked })}
                />
                <span>∞</span>
              </label>
              <TextInput
                id={`${id}-count`}
                field="count"
                testId="count-input"
                value={draft.continuous ? '' : draft.count}
                placeholder={draft.continuous ? 'continuous' : ''}
                numeric
                title="Number of rounds; empty with ∞ runs until stopped"
                error={errorFor('count')}
                onChange={(value) => change('count', { count: value, continuous: false })}
              />
            </div>
          </Field>
          <Field id={`${id}-intervalSec`} label="Interval" error={errorFor('intervalSec')}>
            {input('intervalSec', { testId: 'interval-input', numeric: true, decimal: true, unit: 's' })}
          </Field>
        </div>

        <details className="hs-advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
          <summary data-testid="advanced-toggle">
            Advanced
            {advancedChanged > 0 && <span className="hs-advanced-count">{advancedChanged} changed</span>}
          </summary>
          <div className="hs-advanced-body">
            <div className="hs-field-row">
              <Field id={`${id}-ipVersion`} label="IP version" error={errorFor('ipVersion')}>
                <select
                  id={`${id}-ipVersion`}
                  name="ipVersion"
                  data-testid="ip-version-select"
                  className="hs-input"
                  value={draft.ipVersion}
                  onChange={(e) =>
                    change('ipVersion', { ipVersion: e.currentTarget.value as OptionsDraft['ipVersion'], localIp: '' })
                  }
                >
                  <option value="auto">Auto</option>
                  {(['4', '6'] as const).map((v) => {
                    const a = featureAvailability(mtrStatus, v === '4' ? 'ip-4' : 'ip-6');
                    return (
                      <option key={v} value={v} disabled={!a.enabled} title={a.reason}>
                        IPv{v}
                        {a.enabled ? '' : ' (unsupported)'}
                      </option>
                    );
                  })}
                </select>
              </Field>
              <Field id={`${id}-timeoutSec`} label="Timeout" error={errorFor('timeoutSec')}>
                {input('timeoutSec', { numeric: true, decimal: true, unit: 's', title: 'Per-probe timeout' })}
              </Field>
            </div>
            <Field id={`${id}-localIp`} label="Source address" error={errorFor('localIp')}>
              <select
                id={`${id}-localIp`}
                name="localIp"
                data-testid="source-select"
                className="hs-input"
                value={draft.localIp}
                onChange={(e) => change('localIp', { localIp: e.currentTarget.value })}
              >
                <option value="">Auto (routing table)</option>
                {addresses.map((a) => (
                  <option key={`${a.interface}-${a.address}`} value={a.address}>
                    {a.address} — {a.interface}
                  </option>
                ))}
                {draft.localIp !== '' && !addresses.some((a) => a.address === draft.localIp) && (
                  <option value={draft.localIp}>{draft.localIp}</option>
                )}
              </select>
            </Field>
            <div className="hs-field-row">
              <Field id={`${id}-localPort`} label="Local port" error={errorFor('localPort')}>
                {input('localPort', {
                  numeric: true,
                  disabled: !ports,
                  placeholder: ports ? 'auto' : '—',
                  title: ports ? 'Source port (fixes the flow for ECMP)' : 'Ports apply to UDP, TCP and SCTP',
                  value: ports ? draft.localPort : '',
                })}
              </Field>
              <Field id={`${id}-size`} label="Packet size" error={errorFor('size')}>
                {input('size', { numeric: true, placeholder: 'default', unit: 'B' })}
              </Field>
            </div>
            <div className="hs-field-row">
              <Field id={`${id}-bitPattern`} label="Bit pattern" error={errorFor('bitPattern')}>
                {input('bitPattern', { numeric: true, placeholder: '0', title: 'Payload fill byte (0–255)' })}
              </Field>
              <Field
                id={`${id}-tos`}
                label="TOS"
                error={errorFor('tos')}
                hint={
                  draft.tos.trim() !== '' && Number.isInteger(tosNumber) && tosNumber >= 0 && tosNumber <= 255
                    ? describeTos(tosNumber)
                    : undefined
                }
              >
                {input('tos', { numeric: true, placeholder: '0', title: 'Type-of-service byte (DSCP × 4 + ECN)' })}
              </Field>
            </div>
            <div className="hs-field-row">
              <Field
                id={`${id}-mark`}
                label="Mark"
                error={errorFor('mark')}
                hint={markState.enabled ? undefined : 'Linux only'}
              >
                {input('mark', {
                  numeric: true,
                  placeholder: markState.enabled ? 'none' : '—',
                  disabled: !markState.enabled,
                  title: markState.reason ?? 'Linux SO_MARK for policy routing',
                })}
              </Field>
              <div className="hs-field hs-field--check">
                <label className="hs-check">
                  <input
                    type="checkbox"
                    name="dns"
                    data-testid="dns-checkbox"
                    checked={draft.dns}
                    onChange={(e) => change('dns', { dns: e.currentTarget.checked })}
                  />
                  Reverse DNS
                </label>
              </div>
            </div>
          </div>
        </details>
        {events}
      </div>

      <RunControlsBar
        state={run.state}
        busy={run.busy}
        dirty={run.dirty}
        active={active}
        invalid={validation?.ok === false}
        onStop={run.onStop}
        onPauseResume={run.onPauseResume}
        startShortcut={run.startShortcut}
      />
    </form>
  );
}
