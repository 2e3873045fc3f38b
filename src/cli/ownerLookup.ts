/**
 * The CLI's AS and country lookups (`-z`, `-y`, `--asn-db`, `--geo-db`). The
 * databases load only when an owner column was asked for, in the background
 * while the trace runs: live frames show what is known so far, the final
 * output waits for the load. A database that cannot be used is reported on
 * stderr once, after the output, and the trace goes on with the others.
 */
import { basename } from 'node:path';
import type { Enricher } from '../main/enrich/enricher';
import { withOwners } from '@shared/traceDocument';
import type { TraceDocument } from '@shared/traceFile';
import type { CliTraceRequest } from './options';

export class CliOwnerLookup {
  private problemsReported = false;

  private constructor(private readonly enricher: Enricher | undefined) {}

  /**
   * Starts loading when the request shows owners; otherwise every method leaves documents as they are
   * (and the lookup code itself is never loaded).
   */
  static async start(request: Pick<CliTraceRequest, 'owners' | 'ownerData'>): Promise<CliOwnerLookup> {
    if (!request.owners?.length) return new CliOwnerLookup(undefined);
    const { Enricher } = await import('../main/enrich/enricher');
    const enricher = new Enricher(request.ownerData ?? {});
    void enricher.load();
    return new CliOwnerLookup(enricher);
  }

  /** Owners as far as the data has loaded (for live frames): nothing is guessed while it loads. */
  annotate(doc: TraceDocument): TraceDocument {
    const enricher = this.enricher;
    if (!enricher) return doc;
    // A trace file is shared with others: it names the databases, not where they sit on this machine.
    const sources = enricher.status().sources.map((source) => ({ ...source, file: basename(source.file) }));
    return withOwners(doc, (address) => enricher.lookup(address), sources);
  }

  /** Waits for the data to load, then annotates (for the final report, JSON and CSV). */
  async final(doc: TraceDocument): Promise<TraceDocument> {
    if (!this.enricher) return doc;
    await this.enricher.load();
    return this.annotate(doc);
  }

  /**
   * Names each database that could not be used on `stderr`, once. Called after
   * the final output, so a live view's last screen clear cannot wipe it.
   */
  reportProblems(stderr: NodeJS.WritableStream): void {
    if (!this.enricher || this.problemsReported) return;
    this.problemsReported = true;
    for (const problem of this.enricher.status().problems)
      stderr.write(`hopscope: AS/country data not used: ${problem}\n`);
  }
}
