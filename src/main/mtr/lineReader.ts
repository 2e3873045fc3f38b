/**
 * Splits a text stream into lines (`\n` or `\r\n`). Partial lines are buffered; a line longer than
 * `maxLineLength` is dropped up to its newline so a misbehaving child cannot grow memory without bound.
 */
export class LineReader {
  private buffer = '';
  private discarding = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (droppedPrefix: string) => void = () => {},
    private readonly maxLineLength = 64 * 1024,
  ) {}

  push(chunk: string): void {
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl !== -1) {
      const piece = chunk.slice(start, nl);
      if (this.discarding) {
        this.discarding = false;
      } else {
        const line = this.buffer + piece;
        this.buffer = '';
        this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      this.buffer = '';
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (start < chunk.length && !this.discarding) {
      this.buffer += chunk.slice(start);
      if (this.buffer.length > this.maxLineLength) {
        this.onOverflow(this.buffer.slice(0, 80));
        this.buffer = '';
        this.discarding = true;
      }
    }
  }

  /** Emit a final unterminated line, if any. */
  end(): void {
    if (this.buffer !== '' && !this.discarding) {
      const line = this.buffer;
      this.buffer = '';
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    this.buffer = '';
    this.discarding = false;
  }
}
