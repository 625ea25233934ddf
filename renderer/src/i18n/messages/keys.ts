import type { zhCN } from './zh-CN';

/** Every message key, defined by the reference catalog (zh-CN). */
export type ZhMessageKey = keyof typeof zhCN;
