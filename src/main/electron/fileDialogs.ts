/**
 * FileDialogs for the TraceService under Electron: every path comes from a
 * native dialog shown by the main process, never from the renderer.
 */
import {
  app,
  dialog,
  type BrowserWindow,
  type FileFilter,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import { join } from 'node:path';
import type { FileDialogs, SaveKind } from '../service/traceService';
import { safeFileName } from './fileNames';

const FILTERS: Record<SaveKind, FileFilter[]> = {
  json: [{ name: 'Hopscope trace', extensions: ['json'] }],
  png: [{ name: 'PNG image', extensions: ['png'] }],
  duckdb: [{ name: 'Hopscope session file', extensions: ['duckdb'] }],
};

const DATABASE_FILTERS: Record<'asn' | 'country', FileFilter[]> = {
  asn: [
    { name: 'AS ranges (CSV: first address,last address,AS number,organisation)', extensions: ['csv'] },
    { name: 'All files', extensions: ['*'] },
  ],
  country: [
    { name: 'Country database (MaxMind DB)', extensions: ['mmdb'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

export function createFileDialogs(getWindow: () => BrowserWindow | null): FileDialogs {
  return {
    async chooseSavePath(suggestedName, kind) {
      const options: SaveDialogOptions = {
        defaultPath: join(app.getPath('documents'), safeFileName(suggestedName, kind)),
        filters: FILTERS[kind],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const win = getWindow();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return null;
      return result.filePath;
    },
    async chooseOpenPath() {
      const options = {
        properties: ['openFile'] as 'openFile'[],
        filters: [
          { name: 'Trace files (Hopscope, mtr, Trippy)', extensions: ['json', 'csv', 'xml', 'raw', 'txt', 'duckdb'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const win = getWindow();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      if (result.canceled) return null;
      return result.filePaths[0] ?? null;
    },
    async chooseDatabasePath(kind) {
      const options: OpenDialogOptions = { properties: ['openFile'], filters: DATABASE_FILTERS[kind] };
      const win = getWindow();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      if (result.canceled) return null;
      return result.filePaths[0] ?? null;
    },
  };
}
