/**
 * The hopscope.trace format's names and bounds, without its schemas
 * (traceFile.ts, which re-exports these): code that only writes documents,
 * like the renderer's store, need not build the schemas, or load zod for them.
 */

export const TRACE_FORMAT = 'hopscope.trace';
/** Version 2 added segments; version-1 files still read (as one segment, see importTrace). */
export const TRACE_FORMAT_VERSION = 2;
/** Versions this build reads. */
export const READABLE_TRACE_FORMAT_VERSIONS: readonly unknown[] = [1, TRACE_FORMAT_VERSION];

/** Most segments a session keeps (and a file holds); older ones are forgotten first. */
export const MAX_SEGMENTS = 100;
