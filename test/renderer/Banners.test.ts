import { describe, expect, it } from 'vitest';
import { fixParts } from '../../src/renderer/src/app/Banners';

describe('fixParts', () => {
  it('splits a fix into text and commands', () => {
    expect(fixParts('Run `a b` then `c`.')).toEqual([
      { text: 'Run ', command: false },
      { text: 'a b', command: true },
      { text: ' then ', command: false },
      { text: 'c', command: true },
      { text: '.', command: false },
    ]);
  });
});
