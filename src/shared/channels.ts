/**
 * IPC channel names: the one list, shared by the contract (src/shared/ipc.ts,
 * which pairs each with its schema) and the sandboxed preload, which must
 * stay small and zod-free. Main validates every payload; the preload only
 * needs the names.
 */

export const INVOKE_CHANNELS = {
  startSession: 'hopscope:session-start',
  stopSession: 'hopscope:session-stop',
  pauseSession: 'hopscope:session-pause',
  resumeSession: 'hopscope:session-resume',
  updateSession: 'hopscope:session-update',
  closeSession: 'hopscope:session-close',
  listSessions: 'hopscope:session-list',
  attachSession: 'hopscope:session-attach',
  getSessionDocument: 'hopscope:session-document',
  checkMtrPacket: 'hopscope:mtr-packet-check',
  listLocalAddresses: 'hopscope:local-addresses',
  resolveTarget: 'hopscope:resolve',
  importTraceText: 'hopscope:import-text',
  openTraceFile: 'hopscope:open-file',
  saveTraceJson: 'hopscope:save-json',
  savePng: 'hopscope:save-png',
  getLastTraceOptions: 'hopscope:last-options',
  rendererReady: 'hopscope:renderer-ready',
  getEnrichmentStatus: 'hopscope:enrichment-status',
  getEnrichmentSettings: 'hopscope:enrichment-settings-get',
  setEnrichmentSettings: 'hopscope:enrichment-settings-set',
  chooseDatabaseFile: 'hopscope:enrichment-choose-file',
  // Session history (stored sessions).
  listStoredSessions: 'hopscope:history-list',
  deleteStoredSession: 'hopscope:history-delete',
  openStoredSession: 'hopscope:history-open',
  exportStoredSession: 'hopscope:history-export',
  getTimeline: 'hopscope:history-timeline',
  getWindowStats: 'hopscope:history-window-stats',
  // Agents' read-only views (remote sessions).
  connectAgent: 'hopscope:agent-connect',
  disconnectAgent: 'hopscope:agent-disconnect',
  listAgents: 'hopscope:agent-list',
  getTimelineMarkers: 'hopscope:history-timeline-markers',
  // Session files (one stored session as a DuckDB file of its own).
  exportSessionFile: 'hopscope:session-file-export',
  closeSessionFile: 'hopscope:session-file-close',
  openDroppedSessionFile: 'hopscope:session-file-open-dropped',
} as const;

export const EVENT_CHANNELS = {
  sessionEvents: 'hopscope:session-events',
  menuCommand: 'hopscope:menu-command',
} as const;
