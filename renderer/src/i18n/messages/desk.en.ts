import type { Message } from '../message';
import type { deskZhCN } from './desk.zh-CN';

/** English messages of the desk screens: exactly the keys of desk.zh-CN.ts. */
export const deskEn: Record<keyof typeof deskZhCN, Message> = {
};
