/**
 * The Prometheus text exposition format (version 0.0.4), the small part of it
 * the agent writes: HELP and TYPE lines, then samples with escaped labels.
 */

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type Labels = readonly (readonly [name: string, value: string])[];

/** A label value as the format requires: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  // Most values (names, addresses, numbers) need nothing: skip the replacements.
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes only backslash and newline. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Go's float formatting as Prometheus reads it: NaN, +Inf, -Inf, or a number. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `a="x",b="y"`: label pairs, escaped, without braces (so a caller can extend a shared prefix). */
export function formatLabelPairs(labels: Labels): string {
  let out = '';
  for (const [name, value] of labels) out += `${out ? ',' : ''}${name}="${escapeLabelValue(value)}"`;
  return out;
}

/** Accumulates one exposition. Families must be written whole, one after another. */
export class ExpositionWriter {
  private readonly lines: string[] = [];

  family(name: string, type: MetricType, help: string): this {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, labels: Labels, value: number): this {
    return this.sampleWithPairs(name, formatLabelPairs(labels), value);
  }

  /** A sample whose label pairs are already formatted by formatLabelPairs (many series share them). */
  sampleWithPairs(name: string, pairs: string, value: number): this {
    this.lines.push(`${name}${pairs ? `{${pairs}}` : ''} ${formatSampleValue(value)}`);
    return this;
  }

  /** The exposition text, ending with a newline as the format requires. */
  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}
