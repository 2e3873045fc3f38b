/**
 * The open dialog, the About box or the database settings (one at a time).
 * Its own chunk (ShellDialogs loads it when a dialog first opens): the first
 * screen needs neither.
 */
import { useCallback } from 'react';
import { useController, useUi } from '../app/context';
import { useOwnerData } from './ShellDialogs';
import { EnrichmentSettingsForm } from '../settings/EnrichmentSettingsForm';
import { AboutBox } from './AboutBox';
import { Dialog } from './Dialog';

export default function ShellDialogBody() {
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
