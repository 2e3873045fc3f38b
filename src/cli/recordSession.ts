/**
 * `hopscope trace --record FILE`: the CLI's recorder. The trace prints as it
 * always does; every batch also goes to the history file, flushed at least
 * once a second, so even a killed CLI keeps all but the last second.
 */
import { HistoryStore, SessionRecorder } from '../main/history';
import type { SessionEventBatch, SessionSummary } from '@shared/session';

export interface CliRecording {
  onBatch(batch: SessionEventBatch): void;
  /** Records the final summary and closes the file. */
  finish(summary: SessionSummary): Promise<void>;
  /** Closes the file without a final summary (after a failure). Safe after finish(). */
  close(): Promise<void>;
}

/** Opens (or creates) the history file; throws HistoryFileError for a file it must not write to. */
export async function startRecording(path: string, onFlushError: (err: unknown) => void): Promise<CliRecording> {
  const store = await HistoryStore.open(path, { onFlushError });
  const recorder = new SessionRecorder(store);
  // Names can still trickle in after the file is closed; they are not worth an error.
  let open = true;
  return {
    onBatch: (batch) => {
      if (open) recorder.onBatch(batch);
    },
    finish: async (summary) => {
      if (!open) return;
      open = false;
      await recorder.finish(summary);
      await store.close();
    },
    close: async () => {
      open = false;
      await store.close();
    },
  };
}
