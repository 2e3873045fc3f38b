/**
 * The CLI's AS and country lookups (`-z`, `-y`, `--asn-db`, `--geo-db`). The
 * databases load only when an owner column was asked for, in the background
 * while the trace runs: live frames show what is known so far, the final
 * output waits for the load. A database that cannot be used is reported on
 * stderr once, and the trace goes on with the others.
 */
import { Enricher } from '../main/enrich/enricher';
import { withOwners } from '@shared/traceDocument';
import type { TraceDocument } from '@shared/traceFile';
import type { CliTraceRequest } from './options';

export class CliOwnerLookup {
  private problemsReported = false;

  private constructor(private readonly enricher: Enricher | undefined) {}

  /** Starts loading when the request shows owners; otherwise every method leaves documents as they are. */
  static start(request: Pick<CliTraceRequest, 'owners' | 'ownerData'>): CliOwnerLookup {
    if (!request.owners?.length) return new CliOwnerLookup(undefined);
    const enricher = new Enricher(request.ownerData ?? {});
    void enricher.load();
    return new CliOwnerLookup(enricher);
  }

  /** Owners as far as the data has loaded (for live frames): nothing is guessed while it loads. */
  annotate(doc: TraceDocument): TraceDocument {
    const enricher = this.enricher;
    if (!enricher) return doc;
    return withOwners(doc, (address) => enricher.lookup(address), enricher.status().sources);
  }

  /** Waits for the data, reports its problems on `stderr` once, then annotates. */
  async final(doc: TraceDocument, stderr: NodeJS.WritableStream): Promise<TraceDocument> {
    if (!this.enricher) return doc;
    const status = await this.enricher.load();
    if (!this.problemsReported) {
      this.problemsReported = true;
      for (const problem of status.problems) stderr.write(`hopscope: AS/country data not used: ${problem}\n`);
    }
    return this.annotate(doc);
  }
}
