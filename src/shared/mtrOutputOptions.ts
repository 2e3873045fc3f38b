/**
 * Rules of the CLI's mtr output options, which change what is printed but
 * not what is probed (so they are not trace options): `-o FIELDS`. Built
 * with zod/mini, as a trace builds it at start-up.
 */
import { z } from './zodMini';
import { MTR_FIELDS, parseFieldOrder } from './formats/mtrFields';

/** mtr's MAXFLD: an `-o` string longer than this is refused ("Too many fields"). */
export const MAX_ORDER_FIELDS = 20;

const LETTERS = [...MTR_FIELDS.keys()].filter((k) => k !== ' ').join(' ');

/** `-o`: mtr's field letters in order, a space for its blank column. */
export const fieldOrderSchema = z.string().check(
  z.superRefine((order: string, ctx) => {
    if (order.length > MAX_ORDER_FIELDS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_ORDER_FIELDS} fields, got ${order.length}` });
      return;
    }
    const parsed = parseFieldOrder(order);
    if (!parsed.ok) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown field letter ${JSON.stringify(parsed.letter)} (mtr's fields: ${LETTERS}, and spaces)`,
      });
    }
  }),
);
