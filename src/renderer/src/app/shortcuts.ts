/**
 * Keyboard shortcuts of the page. They map to the same commands as the
 * Electron menu, so one handler serves both. Under Electron the menu owns
 * its accelerators (it sends `menuCommand`), and handling them here too
 * would run each command twice.
 */
import type { MenuCommand } from '@shared/ipc';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Shortcut {
  key: string;
  shift: boolean;
  command: MenuCommand;
  /** The Electron menu has this accelerator. */
  inMenu: boolean;
}

const SHORTCUTS: readonly Shortcut[] = [
  { key: 'enter', shift: false, command: 'start-stop', inMenu: true },
  { key: 't', shift: false, command: 'new-tab', inMenu: true },
  { key: 'o', shift: false, command: 'open', inMenu: true },
  { key: 'e', shift: false, command: 'export-json', inMenu: false },
  { key: 's', shift: false, command: 'export-json', inMenu: true },
  { key: 'e', shift: true, command: 'export-png', inMenu: false },
  { key: 's', shift: true, command: 'export-png', inMenu: true },
  // X for eXport: Ctrl+Alt would be AltGr on many layouts (AltGr+E types €), and Chromium binds no Ctrl+Shift+X.
  { key: 'x', shift: true, command: 'export-session', inMenu: true },
  { key: 'c', shift: true, command: 'copy-report', inMenu: true },
];

/** Every command that has a shortcut, once each. */
export const SHORTCUT_COMMANDS: readonly MenuCommand[] = [...new Set(SHORTCUTS.map((s) => s.command))];

export function isMacPlatform(platform: string): boolean {
  return platform === 'darwin' || (typeof navigator !== 'undefined' && /Mac/.test(navigator.platform));
}

/** How a shortcut is written on this platform, e.g. "Ctrl+Shift+E" or "⌘⇧E". */
export function shortcutLabel(command: MenuCommand, mac: boolean): string {
  const s = SHORTCUTS.find((x) => x.command === command && !x.inMenu) ?? SHORTCUTS.find((x) => x.command === command);
  if (s === undefined) return '';
  const key = s.key === 'enter' ? (mac ? '↩' : 'Enter') : s.key.toUpperCase();
  return mac ? `⌘${s.shift ? '⇧' : ''}${key}` : `Ctrl+${s.shift ? 'Shift+' : ''}${key}`;
}

/** The command a key press asks for, or null. */
export function commandForKey(event: KeyLike, transport: 'electron' | 'harness'): MenuCommand | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  const match = SHORTCUTS.find((s) => s.key === key && s.shift === event.shiftKey);
  if (match === undefined) return null;
  if (transport === 'electron' && match.inMenu) return null;
  return match.command;
}
