/**
 * Owners (AS, country) of responders as the history keeps them: one event
 * of kind `owner` per announcement, its detail `{ address, owner }`. Events
 * need no schema change, and an owner is announced once per new address.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { responderEnrichmentSchema, type ResponderEnrichment } from '@shared/enrichment';

export const OWNER_EVENT = 'owner';

const ownerRecord = z.object({ address: z.string(), owner: responderEnrichmentSchema });

export function ownerEventDetail(address: string, owner: ResponderEnrichment): string {
  return JSON.stringify({ address, owner });
}

/** The newest owner per address from owner events' details, oldest first; details that do not parse are skipped. */
export function readOwners(details: unknown[]): Map<string, ResponderEnrichment> {
  const owners = new Map<string, ResponderEnrichment>();
  for (const detail of details) {
    let json: unknown;
    try {
      json = typeof detail === 'string' ? JSON.parse(detail) : null;
    } catch {
      continue;
    }
    const parsed = ownerRecord.safeParse(json);
    if (parsed.success) owners.set(parsed.data.address, parsed.data.owner);
  }
  return owners;
}

/** The newest owner recorded per address of a session's `owner` events. */
export async function readSessionOwners(
  connection: DuckDBConnection,
  session: number,
): Promise<Map<string, ResponderEnrichment>> {
  const rows = (
    await connection.runAndReadAll(`SELECT detail FROM events WHERE session = $1 AND kind = $2 ORDER BY noted_at`, [
      session,
      OWNER_EVENT,
    ])
  ).getRowObjectsJS();
  return readOwners(rows.map((r) => r['detail']));
}
