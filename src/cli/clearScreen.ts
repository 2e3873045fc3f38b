/**
 * The one control sequence the live view writes: cursor home and clear
 * screen. Its own module so that the trace clears the last frame without
 * loading the live view itself.
 */
export const CLEAR_SCREEN = '\x1b[H\x1b[2J';
