/**
 * Who may call the engine over IPC: only the top frame of one of our own
 * windows, showing our app:// page. Pure, so it is tested without Electron.
 */
import { isOwnPageUrl } from './appOrigin';

export interface SenderInfo {
  /** URL of the frame that sent the message; null when the frame is gone. */
  url: string | null | undefined;
  /** The sending frame is the top frame of its webContents. */
  isMainFrame: boolean;
  /** webContents id of the sender. */
  webContentsId: number;
  /** webContents ids of the windows we created. */
  trustedWebContentsIds: ReadonlySet<number>;
  /** The dev server origin under `electron-vite dev`; null in a packaged app. */
  devServerOrigin?: string | null;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

export function checkSender(sender: SenderInfo): SenderVerdict {
  if (!sender.trustedWebContentsIds.has(sender.webContentsId)) {
    return { ok: false, reason: `webContents ${sender.webContentsId} is not one of our windows` };
  }
  if (!sender.isMainFrame) return { ok: false, reason: 'message from a subframe' };
  if (!isOwnPageUrl(sender.url, sender.devServerOrigin))
    return { ok: false, reason: `message from a foreign origin (${String(sender.url)})` };
  return { ok: true };
}

export function isTrustedSender(sender: SenderInfo): boolean {
  return checkSender(sender).ok;
}
