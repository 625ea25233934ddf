import type { Message } from '../message';

/**
 * Simplified Chinese messages of the desk screens, merged into the zh-CN reference catalog
 * (zh-CN.ts spreads it). Keys start with `desk.`. en has the same keys (desk.en.ts).
 */
export const deskZhCN = {
} as const satisfies Record<string, Message>;
