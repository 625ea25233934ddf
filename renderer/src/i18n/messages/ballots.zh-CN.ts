import type { Message } from '../message';

/**
 * Simplified Chinese messages of the ballots screens, merged into the zh-CN reference catalog
 * (zh-CN.ts spreads it). Keys start with `ballots.`. en has the same keys (ballots.en.ts).
 */
export const ballotsZhCN = {
} as const satisfies Record<string, Message>;
