import { describe, expect, it } from 'vitest';
import { commandForKey, shortcutLabel } from '../../src/renderer/src/app/shortcuts';

describe('commandForKey', () => {
  it('leaves the Electron menu its own accelerators', () => {
    const press = { ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
    expect(commandForKey({ ...press, key: 't' }, 'harness')).toBe('new-tab');
    expect(commandForKey({ ...press, key: 't' }, 'electron')).toBeNull();
    expect(commandForKey({ ...press, key: 'e' }, 'electron')).toBe('export-json');
    expect(commandForKey({ ...press, key: 'E', shiftKey: true }, 'electron')).toBe('export-png');
    expect(commandForKey({ ...press, key: 'Enter' }, 'harness')).toBe('start-stop');
    expect(commandForKey({ ...press, key: 'e', altKey: true }, 'harness')).toBeNull();
    expect(commandForKey({ ...press, ctrlKey: false, key: 'e' }, 'harness')).toBeNull();
  });

  it('exports the session with Ctrl+Shift+X, which the Electron menu owns', () => {
    const press = { ctrlKey: true, metaKey: false, shiftKey: true, altKey: false };
    expect(commandForKey({ ...press, key: 'X' }, 'harness')).toBe('export-session');
    expect(commandForKey({ ...press, ctrlKey: false, metaKey: true, key: 'X' }, 'harness')).toBe('export-session');
    expect(commandForKey({ ...press, key: 'X' }, 'electron')).toBeNull();
    expect(commandForKey({ ...press, shiftKey: false, key: 'x' }, 'harness')).toBeNull();
    expect(shortcutLabel('export-session', false)).toBe('Ctrl+Shift+X');
    expect(shortcutLabel('export-session', true)).toBe('⌘⇧X');
  });
});
