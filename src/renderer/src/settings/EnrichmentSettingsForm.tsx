/**
 * Your own AS and country databases: a path for each (typed, or chosen with
 * the desktop app's file dialog), applied without a restart. The engine
 * loads and checks the files; a file it cannot use is named with its line
 * and reason, and the previous data stays in use.
 */
import { useState } from 'react';
import type { EnrichmentKind, EnrichmentStatus } from '@shared/enrichment';
import type { EnrichmentSettings } from '@shared/enrichmentSettings';
import { dataStatusText } from '../about/dataStatusText';
import { draftOf, type DatabaseDraft } from './ownerDataCommands';
import './EnrichmentSettingsForm.css';

export interface EnrichmentSettingsFormProps {
  settings: EnrichmentSettings | null;
  status: EnrichmentStatus | null;
  problems: readonly string[];
  applied: boolean;
  applying: boolean;
  /** Only the desktop app has a file dialog; the browser harness takes typed paths. */
  canBrowse: boolean;
  onChoose: (kind: EnrichmentKind) => Promise<string | null>;
  onApply: (draft: DatabaseDraft) => void;
  onEdit: () => void;
}

const FIELDS: readonly {
  key: keyof DatabaseDraft;
  kind: EnrichmentKind;
  label: string;
  hint: string;
  testId: string;
}[] = [
  {
    key: 'asnDbPath',
    kind: 'asn',
    label: 'AS ranges (CSV)',
    hint: 'One range a line: first address,last address,AS number,organisation (IPv4 and IPv6).',
    testId: 'asn-db-path',
  },
  {
    key: 'geoDbPath',
    kind: 'country',
    label: 'Countries (mmdb)',
    hint: 'A MaxMind DB country file (ip-location-db or GeoLite2 Country layout).',
    testId: 'geo-db-path',
  },
];

export function EnrichmentSettingsForm(props: EnrichmentSettingsFormProps) {
  const { settings, status, problems, applied, applying, canBrowse, onChoose, onApply, onEdit } = props;
  // Null until the user types: the form shows the engine's settings, which arrive after it opens.
  const [typed, setTyped] = useState<DatabaseDraft | null>(null);
  const draft = typed ?? draftOf(settings);

  const edit = (key: keyof DatabaseDraft, value: string) => {
    setTyped({ ...draft, [key]: value });
    onEdit();
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <p className="hs-dialog-muted">
        Your files answer first, for any address (private ranges too); the shipped data answers for public addresses.
        Leave a field empty to use the shipped data only.
      </p>
      {FIELDS.map((field) => (
        <div key={field.key} className="hs-settings-field">
          <label htmlFor={`hs-settings-${field.key}`}>{field.label}</label>
          <div className="hs-settings-row">
            <input
              id={`hs-settings-${field.key}`}
              className="hs-input hs-dialog-mono"
              data-testid={field.testId}
              value={draft[field.key]}
              placeholder="/absolute/path (empty: none)"
              spellCheck={false}
              onChange={(event) => edit(field.key, event.target.value)}
            />
            {canBrowse && (
              <button
                type="button"
                className="hs-button hs-button--small"
                onClick={() =>
                  void onChoose(field.kind).then((path) => {
                    if (path !== null) edit(field.key, path);
                  })
                }
              >
                Browse…
              </button>
            )}
            <button
              type="button"
              className="hs-button hs-button--small"
              disabled={draft[field.key] === ''}
              onClick={() => edit(field.key, '')}
            >
              Clear
            </button>
          </div>
          <p className="hs-dialog-muted">{field.hint}</p>
        </div>
      ))}
      {problems.length > 0 && (
        <div role="alert" data-testid="enrichment-settings-problems">
          <p className="hs-dialog-problem">Not applied; the previous data stays in use:</p>
          {problems.map((problem) => (
            <p key={problem} className="hs-dialog-problem hs-dialog-mono">
              {problem}
            </p>
          ))}
        </div>
      )}
      {applied && (
        <p className="hs-dialog-ok" data-testid="enrichment-settings-applied">
          Applied: open traces show their owners from the new data.
        </p>
      )}
      <p data-testid="enrichment-settings-status">In use: {dataStatusText(status)}</p>
      <div className="hs-dialog-actions">
        <button
          type="submit"
          className="hs-button hs-button--primary"
          data-testid="enrichment-settings-apply"
          disabled={applying}
        >
          {applying ? 'Loading…' : 'Apply'}
        </button>
      </div>
    </form>
  );
}
