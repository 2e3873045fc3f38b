import { describe, expect, it } from 'vitest';
import { commandForKey } from '../../src/renderer/src/app/shortcuts';

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
});
