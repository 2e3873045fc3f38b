/**
 * Typed reads of DuckDB result columns (getRowObjectsJS gives `unknown`s):
 * one place that says what a column must hold, so a schema mistake is an
 * error naming the column rather than "[object Object]" in a report.
 */

/** A nullable numeric column (BIGINT arrives as bigint, DOUBLE as number). */
export function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A VARCHAR column that is never NULL. */
export function text(value: unknown, column = 'column'): string {
  if (typeof value !== 'string') throw new TypeError(`history: ${column} is not text (${typeof value})`);
  return value;
}

/** A nullable VARCHAR column. */
export function textOrNull(value: unknown, column = 'column'): string | null {
  return value === null || value === undefined ? null : text(value, column);
}
