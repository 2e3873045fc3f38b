import { describe, expect, it } from 'vitest';
import { flowFixedPerRound } from '../../src/renderer/src/graph/flowPolicy';

describe('flowFixedPerRound', () => {
  it('trusts one flow per round only where mtr-packet keeps the ports fixed', () => {
    expect(flowFixedPerRound({ protocol: 'icmp' })).toBe(true);
    expect(flowFixedPerRound({ protocol: 'udp', port: 33434, localPort: 40000, targetAddress: '10.0.0.9' })).toBe(true);
    // The sequence rides in a port: every probe its own flow.
    expect(flowFixedPerRound({ protocol: 'udp' })).toBe(false);
    expect(flowFixedPerRound({ protocol: 'udp', port: 33434 })).toBe(false);
    expect(flowFixedPerRound({ protocol: 'tcp', port: 80, localPort: 40000 })).toBe(false);
    // mtr-packet 0.95 does not keep an IPv6 UDP flow fixed.
    expect(flowFixedPerRound({ protocol: 'udp', port: 33434, localPort: 40000, targetAddress: 'fd00::9' })).toBe(false);
    // Unknown (an imported report): claim nothing.
    expect(flowFixedPerRound({})).toBe(false);
  });
});
