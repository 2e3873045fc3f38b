import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/options';
import { toTraceRequest } from '../../../src/cli/traceRequest';
import { formatLiveFrame } from '../../../src/cli/liveFrame';
import { withOwners } from '@shared/traceDocument';
import { handMade } from '../formats/fixtures';
import { summary } from '../../fixtures/traceBuilders';

const request = (flags: Record<string, unknown>) => toTraceRequest('192.0.2.1', { dns: true, ...flags }, false);

describe('-z, -y, --asn-db, --geo-db', () => {
  it('maps -z and -y 0 to the AS column, -y 2 to the country, both together to both', () => {
    expect(request({}).owners).toEqual([]);
    expect(request({ aslookup: true }).owners).toEqual(['as']);
    expect(request({ ipinfo: '0' }).owners).toEqual(['as']);
    expect(request({ ipinfo: '2' }).owners).toEqual(['country']);
    expect(request({ aslookup: true, ipinfo: '2' }).owners).toEqual(['as', 'country']);
    expect(request({ aslookup: true, asnDb: '/a.csv', geoDb: '/c.mmdb' }).ownerData).toEqual({
      asnDb: '/a.csv',
      geoDb: '/c.mmdb',
    });
  });

  it('rejects what the offline data cannot show, naming the flag', () => {
    expect(() => request({ ipinfo: '1' })).toThrow(
      new UsageError('-y/--ipinfo 1 (IP prefix) is not in the offline data; use 0 (AS number) or 2 (country)'),
    );
    expect(() => request({ ipinfo: '5' })).toThrow(/-y\/--ipinfo must be 0 to 4, got "5"/);
    expect(() => request({ ipinfo: '1.5' })).toThrow(/-y\/--ipinfo must be 0 to 4/);
    expect(() => request({ ipinfo: 'as' })).toThrow(/-y\/--ipinfo must be a number, got "as"/);
    expect(() => request({ geoDb: '/c.mmdb' })).toThrow(/--asn-db and --geo-db go with -z\/--aslookup or -y\/--ipinfo/);
  });
});

describe('live view with owners', () => {
  it('shows the AS column in each frame, as the report does', () => {
    const session = summary(
      { id: 'cli', targetAddress: '198.51.100.10', destinationTtl: 4, rounds: 3, startedAt: 1_772_362_800_000 },
      { target: 'example.net' },
    );
    const doc = withOwners(
      handMade,
      (a) =>
        a === '198.51.100.10'
          ? { as: { asn: 64500, organisation: 'Example', origin: 'user', dataDate: '2026-01-02' } }
          : {},
      [],
    );
    const frame = formatLiveFrame(session, doc, { wide: false, showIps: false, localHost: 'vm', owners: ['as'] });
    expect(frame).toMatch(/^ {2}1\. AS\?\?\? {4}router\.lan/m);
    expect(frame).toMatch(/^ {2}4\. AS64500 {2}example\.net/m);
    expect(frame).toContain('  AS64500 Example (user data of 2026-01-02): hop 4');
    expect(formatLiveFrame(session, doc, { wide: false, showIps: false, localHost: 'vm' })).not.toContain('AS');
  });
});
