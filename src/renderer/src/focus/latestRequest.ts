/**
 * Request ordering for answers that may arrive out of order: only the
 * newest request's answer is applied, an older one that comes back later is
 * dropped (a slow whole-session query must not overwrite the window chosen
 * after it).
 */
export class LatestRequest {
  private issued = 0;

  /** A ticket for a request about to be sent. */
  begin(): number {
    this.issued += 1;
    return this.issued;
  }

  /** Whether the answer to `ticket` is still wanted. */
  isLatest(ticket: number): boolean {
    return ticket === this.issued;
  }

  /** Every request sent so far is stale (the tab changed focus or went away). */
  cancel(): void {
    this.issued += 1;
  }
}
