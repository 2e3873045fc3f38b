export { HistoryStore, DEFAULT_RETENTION_DAYS, MAX_FLUSH_INTERVAL_MS } from './historyStore';
export type {
  HistoryStoreOptions,
  StoredSession,
  StoredSessionRow,
  StoredSegment,
  StoredEvent,
  NewSession,
} from './historyStore';
export { HistoryFileError, HISTORY_FORMAT, HISTORY_FORMAT_VERSION, isOutOfMemory } from './historyDatabase';
export type { SampleRow, SegmentRow, EventRow, HostnameRow, SessionProgress } from './historyWriter';
export type { TimeWindow, WindowStats, HopWindowStats, ResponderWindowStats, TimelineBucket } from './historyQueries';
export { SessionRecorder, type Continuation } from './sessionRecorder';
export { buildWindowDocument, type WindowDocument } from './windowDocument';
export { buildStoredSessionDocument } from './storedDocument';
export { partialPathOf, SessionFileExportError, sameFile } from './sessionFileExport';
export { looksLikeDuckDb } from './historyDatabase';
