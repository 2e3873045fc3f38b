/**
 * Size limits in one place. Each says what it bounds and why; the checks
 * that enforce them import from here, so a limit and its message never drift.
 */

/** Largest trace file accepted (characters of text; these formats are ASCII, so about as many bytes). */
export const MAX_TRACE_FILE_CHARS = 50 * 1024 * 1024;
/** UTF-8 takes at most 4 bytes a character, so a file larger than this cannot fit: skip reading it. */
export const MAX_TRACE_FILE_BYTES = MAX_TRACE_FILE_CHARS * 4;
export const TRACE_FILE_TOO_LARGE = 'file is larger than 50 MB';

/** Whether a file of this many bytes can be rejected without reading it. */
export function traceFileTooLargeToRead(bytes: number): boolean {
  return bytes > MAX_TRACE_FILE_BYTES;
}

/**
 * Most samples one document of a stored session carries with every sample
 * (Export JSON, an agent's answer). The export must open again, and a trace
 * file is at most 50 MB (an exported sample, indented, is about 200
 * characters): about 1.8 h of 30 hops at one round a second. A tab opens a
 * stored session with DEFAULT_SAMPLES_PER_HOP per hop instead, whatever its
 * length.
 */
export const MAX_OPENED_SAMPLES = 200_000;

/** Hops in one trace: TTL is one byte. */
export const MAX_HOPS = 255;

/** Largest PNG accepted for saving (base64 characters). */
export const MAX_PNG_BASE64_CHARS = 64 * 1024 * 1024;

/**
 * The largest message the app takes from an agent's view (a session
 * document with every segment's samples, a stored session's window): the
 * agent answers anything larger with an error instead of sending it.
 */
export const MAX_AGENT_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Largest preferences file read at start-up. */
export const MAX_PREFERENCES_BYTES = 1024 * 1024;

/**
 * Raw samples kept per hop, live, in the engine and in the renderer alike:
 * ten minutes at one round a second. Statistics cover the whole session;
 * only the raw samples (sparklines, late-reply correction) are bounded.
 */
export const DEFAULT_SAMPLES_PER_HOP = 600;
