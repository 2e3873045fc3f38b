/** The options form holding its draft, as the app does, with no engine behind it: for form tests. */
import { useState } from 'react';
import { OptionsForm } from '../../src/renderer/src/options/OptionsForm';
import type { OptionsDraft } from '../../src/renderer/src/options/formModel';
import type { RunControls } from '../../src/renderer/src/options/RunControls';

export const idleRun = (): RunControls => ({
  state: null,
  busy: false,
  dirty: false,
  onStart() {},
  onStop() {},
  onPauseResume() {},
  onApply() {},
});

export function FormWithState({ initial, run = idleRun() }: { initial: OptionsDraft; run?: RunControls }) {
  const [draft, setDraft] = useState(initial);
  return (
    <OptionsForm
      draft={draft}
      onChange={(patch) => setDraft({ ...draft, ...patch })}
      mtrStatus={null}
      platform="linux"
      localAddresses={[]}
      history={[]}
      run={run}
    />
  );
}
