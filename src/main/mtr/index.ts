export { MtrPacketClient, DEFAULT_PROBE_TIMEOUT_SEC, type MtrPacketClientOptions } from './client';
export {
  MtrPacketError,
  ProcessError,
  ExecutableNotFoundError,
  StateError,
  ValidationError,
  type ProcessErrorKind,
  type ProcessPhase,
  type ProcessErrorDetails,
} from './errors';
export {
  encodeRequest,
  encodeSendProbe,
  parseReplyLine,
  parseMpls,
  toProbeResult,
  MAX_TOKEN,
  MAX_ARGUMENTS,
  isWellFormedReply,
  type ParsedLine,
  type RequestArgs,
} from './protocol';
export { explainMtrPacketProblem, type MtrPacketProblem } from './diagnostics';
export { findSourceAddress } from './sourceAddress';
export { resolveMtrPacketPath, EXTRA_SEARCH_DIRS, type ResolveExecutableOptions } from './executable';
export { LineReader } from './lineReader';
export { validateProbeOptions, withProbeFields, isValidProbeOptions, type ValidProbeOptions } from './probeOptions';
export { PendingRequests, type RequestOutcome, type LineMatch } from './pendingRequests';
