export { MtrPacketClient, DEFAULT_PROBE_TIMEOUT_SEC, type MtrPacketClientOptions, type LookupFunction } from './client';
export {
  MtrPacketError,
  ProcessError,
  ExecutableNotFoundError,
  StateError,
  HostResolveError,
  ValidationError,
  type ProcessErrorKind,
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
  type ParsedLine,
  type RequestArgs,
} from './protocol';
export { explainMtrPacketProblem, type MtrPacketProblem } from './diagnostics';
export { findSourceAddress } from './sourceAddress';
export { resolveMtrPacketPath, EXTRA_SEARCH_DIRS, type ResolveExecutableOptions } from './executable';
export { LineReader } from './lineReader';
