import type { Message } from '../message';
import type { ballotsZhCN } from './ballots.zh-CN';

/** English messages of the ballots screens: exactly the keys of ballots.zh-CN.ts. */
export const ballotsEn: Record<keyof typeof ballotsZhCN, Message> = {
};
