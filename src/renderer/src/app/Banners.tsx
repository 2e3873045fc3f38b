/**
 * Non-modal messages above the trace: errors stay until dismissed and carry
 * their fix (commands in it get a copy button); notes go away by themselves.
 */
import { useState } from 'react';
import type { Banner, BannerTone } from './uiState';
import { useController, useTraces, useUi } from './context';
import './Banners.css';

export interface BannerViewProps {
  tone: BannerTone;
  title: string;
  detail?: string;
  fix?: string;
  onDismiss?: () => void;
}

/** Splits "run `cmd` then …" into text and commands. */
export function fixParts(fix: string): { text: string; command: boolean }[] {
  return fix
    .split('`')
    .map((text, i) => ({ text, command: i % 2 === 1 }))
    .filter((part) => part.text !== '');
}

function CopyCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      ?.writeText(command)
      .then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      })
      .catch(() => {});
  };
  return (
    <span className="hs-command">
      <code>{command}</code>
      <button type="button" className="hs-command-copy" onClick={copy} title="Copy command">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

const ICONS: Record<BannerTone, string> = { error: '!', warning: '!', info: 'i', success: '✓' };

export function BannerView({ tone, title, detail, fix, onDismiss }: BannerViewProps) {
  const isError = tone === 'error';
  return (
    <div
      className={`hs-banner hs-banner--${tone}`}
      role={isError ? 'alert' : 'status'}
      data-testid={isError ? 'error-banner' : 'info-banner'}
    >
      <span className="hs-banner-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <div className="hs-banner-text">
        <p title={detail ? `${title} ${detail}` : undefined}>
          <strong>{title}</strong>
          {detail && <span className="hs-banner-detail"> {detail}</span>}
        </p>
        {fix && (
          <p className="hs-banner-fix">
            <span className="hs-banner-fix-label">Fix:</span>{' '}
            {fixParts(fix).map((part, i) =>
              part.command ? <CopyCommand key={i} command={part.text} /> : <span key={i}>{part.text}</span>,
            )}
          </p>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="hs-banner-dismiss" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}

/** Toasts shown at once: they float over the graph, so only the newest few. */
const MAX_TOASTS = 2;

/**
 * Banners stacked compactly: the newest problem in full, older ones behind a
 * "more" button, and at most two toasts, so messages never cover more than a
 * small part of the graph. Every one can be dismissed.
 */
export function BannerStack({ banners, onDismiss }: { banners: readonly Banner[]; onDismiss: (id: number) => void }) {
  const [expanded, setExpanded] = useState(false);
  const view = (b: Banner) => (
    <BannerView
      key={b.id}
      tone={b.tone}
      title={b.title}
      detail={b.detail}
      fix={b.fix}
      onDismiss={() => onDismiss(b.id)}
    />
  );
  // Problems sit above the trace; confirmations float in a corner and leave by themselves.
  const problems = banners.filter((b) => b.tone === 'error' || b.tone === 'warning');
  const notes = banners.filter((b) => b.tone === 'info' || b.tone === 'success').slice(-MAX_TOASTS);
  const shownProblems = expanded ? problems : problems.slice(-1);
  const older = problems.length - 1;
  return (
    <>
      {problems.length > 0 && (
        <div className="hs-banners" data-testid="banner-stack">
          {[...shownProblems].reverse().map(view)}
          {older > 0 && (
            <div className="hs-banner-more">
              <button type="button" data-testid="banner-more" onClick={() => setExpanded(!expanded)}>
                {expanded ? 'Show only the newest' : `${older} more message${older === 1 ? '' : 's'}`}
              </button>
              <button
                type="button"
                data-testid="banner-dismiss-all"
                onClick={() => {
                  for (const b of problems) onDismiss(b.id);
                  setExpanded(false);
                }}
              >
                Dismiss all
              </button>
            </div>
          )}
        </div>
      )}
      {notes.length > 0 && <div className="hs-toasts">{notes.map(view)}</div>}
    </>
  );
}

/** The app's banners plus those of the active tab. */
export function Banners() {
  const controller = useController();
  const activeTabId = useTraces((s) => s.activeTabId);
  const banners = useUi((s) => s.banners);
  const shown = banners.filter((b) => b.tabId === null || b.tabId === activeTabId);
  return <BannerStack banners={shown} onDismiss={(id) => controller.banners.dismiss(id)} />;
}
