import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatReport } from '@shared/formats/report';
import { toMtrCsv, mtrCsvHeader } from '@shared/formats/mtrCsv';
import { toMtrJson, toMtrJsonFields } from '@shared/formats/mtrJson';
import { DEFAULT_FIELD_ORDER, MTR_FIELDS, fieldStats, fieldsOf } from '@shared/formats/mtrFields';
import { hop, host, sample } from '../../fixtures/traceBuilders';
import { handMade } from './fixtures';
import { pathDocument } from './pathArbitrary';

const letters = fc.array(fc.constantFrom(...MTR_FIELDS.keys()), { maxLength: 20 }).map((l) => l.join(''));

describe("-o: mtr's columns in any order", () => {
  it('changes nothing when the order is the default', () => {
    fc.assert(
      fc.property(pathDocument, fc.boolean(), (doc, wide) => {
        expect(formatReport(doc, { wide, fields: DEFAULT_FIELD_ORDER })).toBe(formatReport(doc, { wide }));
        expect(toMtrCsv(doc, { fields: DEFAULT_FIELD_ORDER })).toBe(toMtrCsv(doc));
      }),
    );
  });

  it('lays the report header and the CSV header out from the letters, as mtr does', () => {
    const report = formatReport(handMade, { localHost: 'vm', mtrCompat: true, fields: 'LDRS NBAWVGJMXI' });
    expect(report.split('\n')[1]).toBe(
      'HOST: vm                          Loss% Drop   Rcv   Snt   Last  Best   Avg  Wrst StDev Gmean Jttr Javg Jmax Jint',
    );
    expect(mtrCsvHeader([], fieldsOf('SRD'))).toBe('Mtr_Version,Start_Time,Status,Host,Hop,Ip,Snt,Rcv,Drop,');
    expect(toMtrCsv(handMade, { fields: 'SRD', mtrCompat: true }).split('\n')[4]).toMatch(/,4,example\.net,10,9,1$/);
  });

  it('gives every row exactly the columns of its header', () => {
    fc.assert(
      fc.property(pathDocument, letters, (doc, order) => {
        const csv = toMtrCsv(doc, { fields: order, mtrCompat: true }).trimEnd().split('\n');
        // The header ends in a comma per field; rows have one value per field.
        const titles = csv[0]!.split(',').length - 1;
        for (const row of csv.slice(1)) expect(row.split(',').length).toBe(titles);
        const width = fieldsOf(order).reduce((n, f) => n + f.width, 0);
        const header = formatReport(doc, { fields: order, mtrCompat: true }).split('\n')[1]!;
        // The statistics start at column 33, over the end of the padded host name (as mtr's snprintf).
        if (width > 0) expect(header.length).toBe(33 + width);
      }),
    );
  });

  it("computes mtr's jitter and geometric-mean figures reply by reply", () => {
    const samples = [
      sample(0, '10.0.0.1', 10),
      sample(1, '10.0.0.1', 14),
      sample(2, null, null),
      sample(3, '10.0.0.1', 11),
    ];
    const s = fieldStats({ ...hop(1, [host('10.0.0.1', { received: 3 })], { sent: 4 }), samples });
    expect(s.jitterMs).toBe(3);
    expect(s.jitterWorstMs).toBe(4);
    expect(s.jitterAvgMs).toBeCloseTo(7 / 3, 12);
    expect(s.gmeanMs).toBeCloseTo(Math.cbrt(10 * 14 * 11), 9);
    // RFC 1889 in whole µs as mtr keeps it: 0, then 4000 - 0, then 3000 - ((4000 + 8) >> 4).
    expect(s.jitterInterarrivalMs).toBe((4000 + 3000 - 250) / 1000);
  });

  it("writes mtr's --json hubs with the fields as keys; the default order gives toMtrJson's hubs", () => {
    fc.assert(
      fc.property(pathDocument, (doc) => {
        expect(toMtrJsonFields(doc, DEFAULT_FIELD_ORDER)).toEqual(toMtrJson(doc));
        const hub = toMtrJsonFields(doc, 'DR JX').report.hubs[0]!;
        expect(Object.keys(hub)).toEqual(['count', 'host', 'Drop', 'Rcv', 'Jttr', 'Jmax']);
        expect(Number.isInteger(hub.Drop)).toBe(true);
      }),
    );
  });
});
