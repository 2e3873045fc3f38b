/**
 * Where the About box and the database settings appear: the open dialog
 * (one at a time), and the status-bar items that open them, showing the
 * data date in use.
 */
import { useCallback } from 'react';
import { useStore } from 'zustand';
import { useController, useUi } from '../app/context';
import type { OwnerDataState } from '../settings/ownerDataCommands';
import { EnrichmentSettingsForm } from '../settings/EnrichmentSettingsForm';
import { AboutBox } from './AboutBox';
import { dataDateBadge, dataStatusText } from './dataStatusText';
import { Dialog } from './Dialog';

function useOwnerData<T>(selector: (state: OwnerDataState) => T): T {
  return useStore(useController().ownerData.store, selector);
}

export function ShellDialogs() {
  const controller = useController();
  const commands = controller.ownerData;
  const dialog = useOwnerData((s) => s.dialog);
  const status = useOwnerData((s) => s.status);
  const settings = useOwnerData((s) => s.settings);
  const problems = useOwnerData((s) => s.problems);
  const applied = useOwnerData((s) => s.applied);
  const applying = useOwnerData((s) => s.applying);
  const mtrPacket = useUi((s) => s.mtrStatus);
  const close = useCallback(() => commands.close(), [commands]);
  if (dialog === 'about') {
    return (
      <Dialog testId="about-box" title="About Hopscope" onClose={close}>
        <AboutBox
          status={status}
          mtrPacket={mtrPacket}
          onChangeDatabases={() => commands.open('enrichment-settings')}
        />
      </Dialog>
    );
  }
  if (dialog === 'enrichment-settings') {
    return (
      <Dialog testId="enrichment-settings" title="AS and country databases" onClose={close}>
        <EnrichmentSettingsForm
          settings={settings}
          status={status}
          problems={problems}
          applied={applied}
          applying={applying}
          canBrowse={controller.api.transport === 'electron'}
          onChoose={(kind) => commands.choose(kind)}
          onApply={(draft) => void commands.apply(draft)}
          onEdit={() => commands.editing()}
        />
      </Dialog>
    );
  }
  return null;
}

/** Status-bar items: the data date in use (opens the settings) and the About box. */
export function OwnerDataStatusItems() {
  const commands = useController().ownerData;
  const status = useOwnerData((s) => s.status);
  const badge = dataDateBadge(status);
  const problems = status?.problems.length ?? 0;
  return (
    <>
      {badge !== null && (
        <button
          type="button"
          className={`hs-status-item hs-status-link${problems > 0 ? ' hs-status-warn' : ''}`}
          data-testid="status-data-date"
          title={`${dataStatusText(status)}${problems > 0 ? `\n${status?.problems.join('\n')}` : ''}\nClick to change the databases.`}
          onClick={() => commands.open('enrichment-settings')}
        >
          {badge}
          {problems > 0 && ' ⚠'}
        </button>
      )}
      <button
        type="button"
        className="hs-status-item hs-status-link"
        data-testid="open-about"
        title="About Hopscope: version, mtr-packet, data sets and their licences"
        onClick={() => commands.open('about')}
      >
        About
      </button>
    </>
  );
}
