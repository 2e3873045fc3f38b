/**
 * Channel names for the preload, without importing the contract's zod
 * schemas at run time (the sandboxed preload stays small and only ever
 * needs the names; validation happens in main). The types make these maps
 * exactly mirror `invokeContract`/`eventContract`: a missing, extra or
 * misspelt channel fails to compile, and a unit test compares the values.
 */
import type { eventContract, EventName, invokeContract, InvokeName } from '@shared/ipc';

export const INVOKE_CHANNELS: { readonly [K in InvokeName]: (typeof invokeContract)[K]['channel'] } = {
  startSession: 'hopscope:session-start',
  stopSession: 'hopscope:session-stop',
  pauseSession: 'hopscope:session-pause',
  resumeSession: 'hopscope:session-resume',
  updateSession: 'hopscope:session-update',
  closeSession: 'hopscope:session-close',
  listSessions: 'hopscope:session-list',
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
};

export const EVENT_CHANNELS: { readonly [E in EventName]: (typeof eventContract)[E]['channel'] } = {
  sessionEvents: 'hopscope:session-events',
  menuCommand: 'hopscope:menu-command',
};
