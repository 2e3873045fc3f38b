/**
 * Every :has() in the renderer's style sheets looks at a fixed depth
 * (children, grandchildren, siblings), never at any descendant. With a
 * descendant argument Chromium rechecks the :has() element whenever an
 * element is inserted anywhere under it, and restyles its whole subtree when
 * the rule styles its descendants: under the graph pane that was ~1800
 * elements (5 ms) in each live frame that added a sparkline's loss tick.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER_SRC = resolve(import.meta.dirname, '../../src/renderer/src');

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cssFiles(path);
    return entry.name.endsWith('.css') ? [path] : [];
  });
}

/** The argument of each :has( … ) in a style sheet (comments removed), balanced parentheses included. */
function hasArguments(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const found: string[] = [];
  for (let at = text.indexOf(':has('); at >= 0; at = text.indexOf(':has(', at + 1)) {
    let depth = 1;
    let i = at + ':has('.length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    found.push(text.slice(at + ':has('.length, i - 1).trim());
  }
  return found;
}

/** Whether a relative selector has a descendant combinator: two compounds joined by whitespace alone. */
function reachesAnyDescendant(argument: string): boolean {
  const compact = argument.replace(/\s*([>+~])\s*/g, '$1').trim();
  // No leading combinator is an implicit descendant one; whitespace left once the others are joined is one too.
  return !/^[>+~]/.test(compact) || /\s/.test(compact);
}

describe('renderer style sheets', () => {
  it('tells a fixed-depth :has() argument from one reaching any descendant', () => {
    expect(reachesAnyDescendant('> .slot > .timeline.is-unavailable')).toBe(false);
    expect(reachesAnyDescendant('+ tr.is-sibling')).toBe(false);
    expect(reachesAnyDescendant('> .slot .is-unavailable')).toBe(true);
    expect(reachesAnyDescendant('.is-unavailable')).toBe(true);
    expect(hasArguments('a:has(> b:not(.c)) d, e:has(+ f) {} /* g:has(h) */')).toEqual(['> b:not(.c)', '+ f']);
  });

  it('use :has() only with a fixed-depth argument', () => {
    const files = cssFiles(RENDERER_SRC);
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      hasArguments(readFileSync(file, 'utf8'))
        .filter(reachesAnyDescendant)
        .map((argument) => `${file.slice(RENDERER_SRC.length + 1)}: :has(${argument})`),
    );
    expect(offending).toEqual([]);
  });
});
