/**
 * The application menu. Commands that concern the page (new tab, export,
 * start/stop) are not handled here: they go to the renderer as
 * `menuCommand` events, the same way a keyboard shortcut in the page would.
 * Only types come from electron, so the template is unit-testable.
 */
import type { BaseWindow, MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '@shared/ipc';

export interface MenuOptions {
  platform: string;
  appName: string;
  /** Dev builds get reload and devtools entries. */
  isDev: boolean;
  send: (command: MenuCommand, window: BaseWindow | undefined) => void;
}

/** Commands with a keyboard accelerator; the About box and the database settings have none. */
export const MENU_ACCELERATORS: Readonly<Partial<Record<MenuCommand, string>>> = {
  'new-tab': 'CmdOrCtrl+T',
  open: 'CmdOrCtrl+O',
  'export-json': 'CmdOrCtrl+S',
  'export-png': 'CmdOrCtrl+Shift+S',
  'export-session': 'CmdOrCtrl+Shift+X',
  'copy-report': 'CmdOrCtrl+Shift+C',
  'start-stop': 'CmdOrCtrl+Enter',
};

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const command = (label: string, id: MenuCommand): MenuItemConstructorOptions => {
    const accelerator = MENU_ACCELERATORS[id];
    return {
      id,
      label,
      ...(accelerator === undefined ? {} : { accelerator }),
      click: (_item, window) => options.send(id, window),
    };
  };
  // The About box is the page's own (it lists the data sets and their licences), not Electron's panel.
  const about = command(`About ${options.appName}`, 'about');
  const databases = command('AS and Country Databases…', 'enrichment-settings');
  const isMac = options.platform === 'darwin';

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: options.appName,
      submenu: [
        about,
        { type: 'separator' },
        databases,
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: 'File',
      submenu: [
        command('New Tab', 'new-tab'),
        command('Open…', 'open'),
        { type: 'separator' },
        command('Export JSON…', 'export-json'),
        command('Export Session…', 'export-session'),
        command('Export PNG…', 'export-png'),
        command('Copy Report', 'copy-report'),
        { type: 'separator' },
        ...(isMac ? [] : [databases, { type: 'separator' } as const]),
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    // Text fields need the standard edit roles (and macOS needs the menu for the shortcuts).
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'Trace', submenu: [command('Start / Stop', 'start-stop')] },
    {
      label: 'View',
      submenu: [
        ...(options.isDev
          ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    ...(isMac ? [] : [{ role: 'help', label: 'Help', submenu: [about] } satisfies MenuItemConstructorOptions]),
  );
  return template;
}
