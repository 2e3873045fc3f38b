export { formatReport, type ReportOptions } from './report';
export { toMtrCsv, MTR_CSV_HEADER, type CsvOptions } from './mtrCsv';
export {
  toMtrJson,
  formatMtrJson,
  fromMtrJson,
  parseMtrJson,
  type MtrJsonReport,
  type MtrJsonHub,
  type ImportOptions,
  type ConvertResult,
} from './mtrJson';
export { parseTrippyJson } from './trippyJson';
export { parseTraceFile, type ParseTraceResult, type SourceFormat } from './importTrace';
export { summarizeHop, reportHops, hopName, DEFAULT_LOCAL_HOST, type HopSummary, type MtrStyleOptions } from './common';
