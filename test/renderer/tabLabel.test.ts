import { describe, expect, it } from 'vitest';
import { TAB_LABEL_CHARS, tabLabel } from '../../src/renderer/src/app/TabBar';

describe('tabLabel', () => {
  it('keeps both ends of a long target, so IPv6 addresses and names sharing a prefix stay apart', () => {
    const a = tabLabel('2001:db8:4006:812::200e');
    const b = tabLabel('2001:db8:4006:812::200f');
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(TAB_LABEL_CHARS);
    const long = ['edge-router-1.fra.example.net', 'edge-router-1.ams.example.net', 'edge-router-2.fra.example.net'];
    const labels = long.map((t) => tabLabel(t, long));
    expect(new Set(labels).size).toBe(3);
    expect(labels.every((l) => l.length <= TAB_LABEL_CHARS)).toBe(true);
    // Short ones are left alone.
    expect(tabLabel('target.hopscope.test')).toBe('target.hopscope.test');
  });
});
