/** Errors raised by the mtr-packet client. Every error it throws or rejects with is an MtrPacketError. */

export class MtrPacketError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Why the subprocess failed:
 * - `not-found`: no executable (see ExecutableNotFoundError);
 * - `spawn-failed`: the OS refused to start it (EACCES, ENOEXEC, …);
 * - `exited`: it exited or was killed;
 * - `not-mtr-packet`: it runs but does not speak the mtr-packet protocol;
 * - `no-answer`: it did not answer a command in time;
 * - `io`: writing to its stdin failed.
 */
export type ProcessErrorKind = 'not-found' | 'spawn-failed' | 'exited' | 'not-mtr-packet' | 'no-answer' | 'io';

/** Whether the failure came before mtr-packet had answered its version check, or while it was probing. */
export type ProcessPhase = 'start-up' | 'probing';

export interface ProcessErrorDetails {
  kind: ProcessErrorKind;
  /** Default `probing`. */
  phase?: ProcessPhase;
  executable?: string | null;
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
  stderrTail?: string;
  cause?: unknown;
}

function exitText(exitCode: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  if (exitCode !== null) return `exit code ${exitCode}`;
  return '';
}

export class ProcessError extends MtrPacketError {
  readonly kind: ProcessErrorKind;
  readonly phase: ProcessPhase;
  readonly executable: string | null;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last few lines mtr-packet wrote to stderr (trimmed, may be empty). */
  readonly stderrTail: string;

  constructor(message: string, details: ProcessErrorDetails) {
    const exitCode = details.exitCode ?? null;
    const signal = details.signal ?? null;
    const stderrTail = (details.stderrTail ?? '').trim();
    const exit = exitText(exitCode, signal);
    let full = message;
    if (exit && !message.includes(exit)) full += ` (${exit})`;
    if (stderrTail) full += `; stderr: ${stderrTail}`;
    super(full, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.phase = details.phase ?? 'probing';
    this.executable = details.executable ?? null;
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

export class ExecutableNotFoundError extends ProcessError {
  /** Every location that was checked, in order. */
  readonly pathsTried: readonly string[];

  constructor(pathsTried: readonly string[], message?: string) {
    super(
      message ?? `mtr-packet was not found (looked in: ${pathsTried.length ? pathsTried.join(', ') : 'no locations'})`,
      { kind: 'not-found' },
    );
    this.pathsTried = [...pathsTried];
  }
}

/** The client is not open, already open, or closed. */
export class StateError extends MtrPacketError {}

/** An argument was rejected before anything was sent to mtr-packet. */
export class ValidationError extends MtrPacketError {
  /** The offending field, e.g. `host`, `ttl`, `localIp`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
