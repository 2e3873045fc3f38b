/** A database file that cannot be used, with the file (and line, for CSV) in the message. */
export class EnrichmentDataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'EnrichmentDataError';
  }
}

/** Turns a file-system error into a sentence that names the file. */
export function fileProblem(file: string, error: unknown): EnrichmentDataError {
  if (error instanceof EnrichmentDataError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : error instanceof Error
            ? error.message
            : String(error);
  return new EnrichmentDataError(file, undefined, reason);
}
