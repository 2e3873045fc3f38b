/** Sample files from mtr 0.93, mtr 0.95 and Trippy, and the two ways an import test ends. */
import { expect } from 'vitest';
import { parseTraceFile } from '@shared/formats/importTrace';
import { traceDocumentSchema } from '@shared/traceFile';

// The tests poke at arbitrary JSON trees.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

// As mtr 0.93's hand-rolled printf JSON writer lays it out: count/tos/tests as strings.
export const mtr093 = `{
  "report": {
    "mtr": {
      "src": "vm",
      "dst": "target.hopscope.test",
      "tos": "0x0",
      "psize": "64",
      "bitpattern": "0x00",
      "tests": "10"
    },
    "hubs": [{
      "count": "1",
      "host": "_gateway",
      "Loss%": 0.00,
      "Snt": 10,
      "Last": 0.35,
      "Avg": 0.42,
      "Best": 0.31,
      "Wrst": 0.77,
      "StDev": 0.13
    },
    {
      "count": "2",
      "host": "???",
      "Loss%": 100.00,
      "Snt": 10,
      "Last": 0.00,
      "Avg": 0.00,
      "Best": 0.00,
      "Wrst": 0.00,
      "StDev": 0.00
    },
    {
      "count": "3",
      "host": "100.64.0.1",
      "Loss%": 20.00,
      "Snt": 10,
      "Last": 9.87,
      "Avg": 10.12,
      "Best": 8.95,
      "Wrst": 14.20,
      "StDev": 1.61
    },
    {
      "count": "4",
      "host": "93.184.216.34",
      "Loss%": 0.00,
      "Snt": 10,
      "Last": 88.10,
      "Avg": 88.43,
      "Best": 87.90,
      "Wrst": 90.02,
      "StDev": 0.61
    }]
  }
}
`;

// mtr 0.94+ (jansson), run with --show-ips and a 0.95 ASN-less build.
export const mtr095 = `{
    "report": {
        "mtr": {
            "src": "laptop",
            "dst": "2001:db8::53",
            "tos": 0,
            "tests": 5,
            "psize": "rand(36-1000)",
            "bitpattern": "0x5A"
        },
        "hubs": [
            {
                "count": 1,
                "host": "fritz.box (2001:db8:1::1)",
                "Loss%": 0.0,
                "Snt": 5,
                "Last": 1.234,
                "Avg": 1.5,
                "Best": 1.1,
                "Wrst": 2.01,
                "StDev": 0.362
            },
            {
                "count": 2,
                "host": "???",
                "Loss%": 100.0,
                "Snt": 5,
                "Last": 0.0,
                "Avg": 0.0,
                "Best": 0.0,
                "Wrst": 0.0,
                "StDev": 0.0
            },
            {
                "count": 3,
                "host": "???",
                "Loss%": 100.0,
                "Snt": 5,
                "Last": 0.0,
                "Avg": 0.0,
                "Best": 0.0,
                "Wrst": 0.0,
                "StDev": 0.0
            },
            {
                "count": 4,
                "host": "2001:db8::53",
                "Loss%": 40.0,
                "Snt": 5,
                "Last": 20.5,
                "Avg": 21.0,
                "Best": 20.5,
                "Wrst": 21.6,
                "StDev": 0.557
            }
        ]
    }
}
`;

export const trippy = JSON.stringify({
  info: { target: { ip: '192.0.2.80', hostname: 'www.example.org' } },
  hops: [
    {
      ttl: 1,
      hosts: [{ ip: '10.0.0.1', hostname: 'gw.home' }],
      extensions: [],
      loss_pct: '0.00',
      sent: 10,
      last: '0.52',
      recv: 10,
      avg: '0.61',
      best: '0.44',
      worst: '1.02',
      stddev: '0.17',
      jitter: '0.08',
      javg: '0.12',
      jmax: '0.50',
      jinta: '1.93',
      nat: null,
    },
    {
      ttl: 2,
      hosts: [],
      extensions: [],
      loss_pct: '100.00',
      sent: 10,
      last: '0.00',
      recv: 0,
      avg: '0.00',
      best: '0.00',
      worst: '0.00',
      stddev: '0.00',
      jitter: '0.00',
      javg: '0.00',
      jmax: '0.00',
      jinta: '0.00',
      nat: null,
    },
    {
      ttl: 3,
      hosts: [
        { ip: '198.51.100.1', hostname: '198.51.100.1' },
        { ip: '198.51.100.2', hostname: 'core2.example.net' },
      ],
      extensions: [{ mpls: { members: [{ label: 24005, exp: 0, bos: 1, ttl: 1 }] } }],
      loss_pct: '10.00',
      sent: 10,
      last: '12.30',
      recv: 9,
      avg: '12.71',
      best: '11.90',
      worst: '14.05',
      stddev: '0.63',
      jitter: '0.40',
      javg: '0.55',
      jmax: '1.80',
      jinta: '5.00',
      nat: false,
    },
    {
      ttl: 4,
      hosts: [{ ip: '192.0.2.80', hostname: 'www.example.org' }],
      extensions: [],
      loss_pct: '0.00',
      sent: 10,
      last: '20.01',
      recv: 10,
      avg: '20.40',
      best: '19.87',
      worst: '21.33',
      stddev: '0.41',
      jitter: '0.11',
      javg: '0.30',
      jmax: '0.90',
      jinta: '3.10',
      nat: false,
    },
  ],
});

export function ok(text: string) {
  const r = parseTraceFile(text);
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`);
  expect(traceDocumentSchema.safeParse(r.doc).success).toBe(true);
  return r;
}
export function err(text: string): string {
  const r = parseTraceFile(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
}
