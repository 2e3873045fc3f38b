/**
 * The end-to-end line above the graph ("End to end: 0.0% loss, …"). Loaded
 * lazily with the verdict code it needs: the first screen has no trace.
 */
import { useMemo } from 'react';
import type { HopStatsUpdate, SessionSummary } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import { endToEndText, liveDocument } from '../graph/pathSummary';

export interface EndToEndLineProps {
  /** A live tab's session, or null for an opened file. */
  summary: SessionSummary | null;
  readOnlyDoc: TraceDocument | undefined;
  hops: readonly HopStatsUpdate[];
}

export default function EndToEndLine({ summary, readOnlyDoc, hops }: EndToEndLineProps) {
  const text = useMemo(() => {
    const doc = summary !== null ? liveDocument(summary, hops) : readOnlyDoc;
    return doc === undefined ? null : endToEndText(doc);
  }, [summary, readOnlyDoc, hops]);
  if (text === null) return null;
  return (
    <p className="hs-end-to-end" data-testid="end-to-end" role="status" title={text}>
      {text}
    </p>
  );
}
