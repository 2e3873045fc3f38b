/**
 * The left column: the options form of a live tab, or what an opened file
 * recorded (read-only) with a way to trace the same target again.
 */
import { Suspense, useCallback, useMemo } from 'react';
import { startTime } from '@shared/formats/common';
import type { TraceDocument } from '@shared/traceFile';
import type { TraceOptions } from '@shared/traceOptions';
import { OptionsForm } from '../options/OptionsForm';
import { defaultDraft, draftFromOptions, type OptionsDraft } from '../options/formModel';
import { useFormChecks } from '../options/lazyFormChecks';
import { selectActiveTab, tabById } from '../store/selectors';
import { useController, useTraces, useUi } from './context';
import { PROTOCOL_LABELS } from '@shared/protocols';
import { preloadableLazy } from './preloadableLazy';
import { STORED_SESSION_FORMAT } from './historyCommands';
import { FactList } from './FactList';
import './SidePanel.css';

// Only a trace with restarts, option changes or an unreachable end shows it (preloaded after the first screen).
const SessionEvents = preloadableLazy(() => import('./SessionEvents').then((m) => m.SessionEvents)).Component;
const RemoteSessionPanel = preloadableLazy(() =>
  import('../remote/RemoteSessionPanel').then((m) => m.RemoteSessionPanel),
).Component;

function LiveOptions({ tabId, startShortcut, platform }: { tabId: string; startShortcut: string; platform: string }) {
  const controller = useController();
  // State and options as values: the tab changes with every batch and the summary with every round,
  // but the form only cares when these do.
  const state = useTraces((s) => tabById(s, tabId)?.summary?.state ?? null);
  const optionsJson = useTraces((s) => {
    const options = tabById(s, tabId)?.summary?.options;
    return options === undefined ? null : JSON.stringify(options);
  });
  const ownDraft = useUi((s) => s.tabs[tabId]?.draft);
  const remoteIssue = useUi((s) => s.tabs[tabId]?.remoteIssue);
  const busy = useUi((s) => s.tabs[tabId]?.busy === true);
  const mtrStatus = useUi((s) => s.mtrStatus);
  const markers = useTraces((s) => tabById(s, tabId)?.summary?.markers);
  const unreachable = useTraces((s) => tabById(s, tabId)?.summary?.unreachable);
  const localAddresses = useUi((s) => s.localAddresses);
  const history = useUi((s) => s.targetHistory);
  const onChange = useCallback(
    (patch: Partial<OptionsDraft>) => controller.updateDraft(tabId, patch),
    [controller, tabId],
  );
  const registerSubmit = useCallback(
    (submit: (() => void) | null) => controller.registerFormSubmit(tabId, submit),
    [controller, tabId],
  );
  const sessionOptions = useMemo(
    () => (optionsJson === null ? null : (JSON.parse(optionsJson) as TraceOptions)),
    [optionsJson],
  );
  const sessionDraft = useMemo(
    () => (sessionOptions ? draftFromOptions(sessionOptions) : defaultDraft()),
    [sessionOptions],
  );
  // An own draft starts loading the checks (controller.setDraft); until they are in, it counts as unchanged.
  const checks = useFormChecks();
  const dirty = useMemo(
    () =>
      ownDraft !== undefined &&
      sessionOptions !== null &&
      checks !== undefined &&
      checks.draftDiffers(ownDraft, sessionOptions),
    [checks, ownDraft, sessionOptions],
  );
  return (
    <OptionsForm
      // A fresh form per tab: touched fields and the open Advanced section are per trace.
      key={tabId}
      draft={ownDraft ?? sessionDraft}
      onChange={onChange}
      mtrStatus={mtrStatus}
      platform={platform}
      localAddresses={localAddresses}
      history={history}
      remoteIssue={remoteIssue}
      registerSubmit={registerSubmit}
      events={
        // Only a trace with events asks for the chunk: the first screen's empty form has none.
        ((markers?.length ?? 0) > 0 || unreachable !== undefined) && (
          <Suspense fallback={null}>
            <SessionEvents markers={markers} unreachable={unreachable} />
          </Suspense>
        )
      }
      run={{
        state,
        busy,
        dirty,
        startShortcut,
        onStart: () => void controller.sessions.start(tabId),
        onStop: () => void controller.sessions.stop(tabId),
        onPauseResume: () => void controller.sessions.togglePause(tabId),
        onApply: () => void controller.sessions.applyChanges(tabId),
      }}
    />
  );
}

function FileDetails({ tabId, doc }: { tabId: string; doc: TraceDocument }) {
  const controller = useController();
  const file = useUi((s) => s.tabs[tabId]?.file);
  const stored = file?.sourceFormat === STORED_SESSION_FORMAT;
  const o = doc.options;
  const recorded = startTime(doc);
  const rows: [string, string][] = [
    ['Target', doc.target.input],
    ['Address', doc.target.address ?? '—'],
    // An imported file may not record these: unknown, never a default.
    [
      'Protocol',
      o.protocol === undefined
        ? 'unknown'
        : `${PROTOCOL_LABELS[o.protocol]}${o.port !== undefined ? ` port ${o.port}` : ''}`,
    ],
    ['TTL', o.firstTtl !== undefined && o.maxTtl !== undefined ? `${o.firstTtl}–${o.maxTtl}` : 'unknown'],
    [
      'Rounds',
      doc.rounds !== undefined
        ? String(doc.rounds)
        : o.count === null
          ? 'continuous'
          : o.count === undefined
            ? 'unknown'
            : String(o.count),
    ],
    ['Interval', o.intervalSec !== undefined ? `${o.intervalSec} s` : 'unknown'],
    ['Recorded', recorded === null ? 'unknown' : new Date(recorded).toLocaleString()],
    [
      'Tool',
      `${doc.tool.name} ${doc.tool.version}${doc.tool.mtrPacketVersion ? ` · mtr-packet ${doc.tool.mtrPacketVersion}` : ''}`,
    ],
  ];
  return (
    <div className="hs-file-panel" data-testid="file-panel">
      <p className="hs-panel-kicker">{stored ? 'Stored session' : 'Saved trace'} · read-only</p>
      {file && (
        <p className="hs-file-name" title={file.fileName}>
          {file.fileName}
          <span className="hs-file-format">{file.sourceFormat}</span>
        </p>
      )}
      <FactList className="hs-facts" facts={rows} />
      <button
        type="button"
        className="hs-button hs-button--primary hs-button--wide"
        data-testid="trace-again"
        onClick={() => (stored ? void controller.history.traceAgain(tabId) : controller.files.traceAgain(tabId))}
      >
        Trace this target again
      </button>
      <p className="hs-field-hint">
        {stored
          ? 'Starts a new live trace with the same target and options.'
          : 'Opens a new tab with the same target and the options the file recorded.'}
      </p>
      <Suspense fallback={null}>
        <SessionEvents markers={doc.markers} unreachable={doc.unreachable} endedEarly={doc.endedEarly} />
      </Suspense>
    </div>
  );
}

export function SidePanel({ startShortcut, platform }: { startShortcut: string; platform: string }) {
  const tabId = useTraces((s) => s.activeTabId);
  const doc = useTraces((s) => selectActiveTab(s)?.readOnlyDoc);
  const remote = useTraces((s) => selectActiveTab(s)?.summary?.remote);
  if (tabId === null) return null;
  if (remote !== undefined)
    return (
      <Suspense fallback={null}>
        <RemoteSessionPanel tabId={tabId} origin={remote} />
      </Suspense>
    );
  if (doc !== undefined) return <FileDetails tabId={tabId} doc={doc} />;
  return <LiveOptions tabId={tabId} startShortcut={startShortcut} platform={platform} />;
}
