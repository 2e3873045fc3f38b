/**
 * Every :has() in the renderer's style sheets looks at a fixed depth
 * (children, grandchildren, siblings), never at any descendant, and no rule
 * styles every element after one (`:has(…) > *`). With a descendant argument
 * Chromium rechecks the :has() element whenever an element is inserted
 * anywhere under it; a universal after a :has() makes each recheck restyle
 * the whole subtree. Together they restyled the graph pane (~1800 elements,
 * 5 ms) in each live frame that added a sparkline's loss tick, and ~600 in
 * every frame of a timeline pan.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER_SRC = resolve(import.meta.dirname, '../../../src/renderer/src');

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cssFiles(path);
    return entry.name.endsWith('.css') ? [path] : [];
  });
}

interface HasUse {
  argument: string;
  /** The selector text after the :has(…), up to the end of its selector. */
  after: string;
}

/** Each :has( … ) in a style sheet (comments removed), balanced parentheses included. */
function hasUses(css: string): HasUse[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const found: HasUse[] = [];
  for (let at = text.indexOf(':has('); at >= 0; at = text.indexOf(':has(', at + 1)) {
    let depth = 1;
    let i = at + ':has('.length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    const after = /^[^{,]*/.exec(text.slice(i))![0];
    found.push({ argument: text.slice(at + ':has('.length, i - 1).trim(), after });
  }
  return found;
}

/** Whether a relative selector has a descendant combinator: two compounds joined by whitespace alone. */
function reachesAnyDescendant(argument: string): boolean {
  const compact = argument.replace(/\s*([>+~])\s*/g, '$1').trim();
  // No leading combinator is an implicit descendant one; whitespace left once the others are joined is one too.
  return !/^[>+~]/.test(compact) || /\s/.test(compact);
}

/** Whether the selector goes on from the :has() to a universal (every child, sibling or descendant). */
function stylesEveryElementAfter(after: string): boolean {
  return /(^|[\s>+~])\*/.test(after);
}

describe('renderer style sheets', () => {
  it('tells a fixed-depth :has() argument from one reaching any descendant', () => {
    expect(reachesAnyDescendant('> .slot > .timeline.is-unavailable')).toBe(false);
    expect(reachesAnyDescendant('+ tr.is-sibling')).toBe(false);
    expect(reachesAnyDescendant('> .slot .is-unavailable')).toBe(true);
    expect(reachesAnyDescendant('.is-unavailable')).toBe(true);
    expect(hasUses('a:has(> b:not(.c)) d, e:has(+ f) > * {} /* g:has(h) */')).toEqual([
      { argument: '> b:not(.c)', after: ' d' },
      { argument: '+ f', after: ' > * ' },
    ]);
    expect(stylesEveryElementAfter(' > * ')).toBe(true);
    expect(stylesEveryElementAfter(' .hs-path-graph ')).toBe(false);
  });

  it('use :has() only with a fixed-depth argument and never before a universal', () => {
    const files = cssFiles(RENDERER_SRC);
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      hasUses(readFileSync(file, 'utf8'))
        .filter(({ argument, after }) => reachesAnyDescendant(argument) || stylesEveryElementAfter(after))
        .map(({ argument, after }) => `${file.slice(RENDERER_SRC.length + 1)}: :has(${argument})${after.trimEnd()}`),
    );
    expect(offending).toEqual([]);
  });
});
