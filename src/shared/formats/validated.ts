/** The last step of every import: the converted document must pass the document schema. */
import { type TraceDocument, traceDocumentSchema } from '../traceFile';
import { describeSchemaProblem, firstSchemaProblem } from '../schemaProblem';

export type ConvertResult = { ok: true; doc: TraceDocument } | { ok: false; error: string };

/** Final check that a conversion produced a valid document. */
export function validated(doc: TraceDocument): ConvertResult {
  const check = traceDocumentSchema.safeParse(doc);
  if (check.success) return { ok: true, doc: check.data };
  return {
    ok: false,
    error: `cannot convert: ${describeSchemaProblem(firstSchemaProblem(check.error, 'invalid document'))}`,
  };
}
