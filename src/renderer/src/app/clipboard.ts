/** Puts text on the system clipboard through the async Clipboard API. */
export async function writeClipboardText(text: string): Promise<void> {
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
  if (clipboard?.writeText === undefined) throw new Error('the clipboard is not available here');
  try {
    await clipboard.writeText(text);
  } catch (err) {
    // Chromium refuses a write from a window without focus (in a browser, also without a user gesture).
    throw new Error(`the clipboard refused it: ${(err as Error).message}`, { cause: err });
  }
}
