/**
 * Where the About box and the database settings appear: the open dialog
 * (one at a time), and the status-bar items that open them, showing the
 * data date in use.
 */
import { Suspense } from 'react';
import { useStore } from 'zustand';
import { useController } from '../app/context';
import { preloadableLazy } from '../app/preloadableLazy';
import type { OwnerDataState } from '../settings/ownerDataCommands';
import { dataDateBadge, dataStatusText } from './dataStatusText';

/** The About box and database settings state (controller.ownerData). */
export function useOwnerData<T>(selector: (state: OwnerDataState) => T): T {
  return useStore(useController().ownerData.store, selector);
}

// Its own chunk, fetched with the other lazy parts once the first screen is drawn.
const ShellDialogBody = preloadableLazy(() => import('./ShellDialogBody').then((m) => m.default)).Component;

/** The About box or the database settings, when one is open. */
export function ShellDialogs() {
  const dialog = useOwnerData((s) => s.dialog);
  if (!dialog) return null;
  return (
    <Suspense fallback={null}>
      <ShellDialogBody />
    </Suspense>
  );
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
