import type { Message } from '../message';

/**
 * The desk's live updates and manual refresh (评分进度 and 排名 pages), merged into the zh-CN
 * reference catalog. en has the same keys (live.en.ts).
 */
export const liveZhCN = {
  'desk.live.state.live': '实时更新中',
  'desk.live.state.live.hint': '评委同步后，本页几秒内自动更新，无需刷新。',
  'desk.live.state.polling': '定时刷新',
  'desk.live.state.polling.hint': '暂时无法保持与服务器的实时连接，本页每 {seconds} 秒自动刷新一次。',
  'desk.live.state.paused': '暂停更新',
  'desk.live.state.paused.hint': '网络已断开。恢复联网后自动更新。',
  'desk.live.updatedAt': '数据更新于 {time}',
  'desk.live.neverUpdated': '尚未从服务器取得数据',
  'desk.live.refresh': '刷新',
  'desk.live.refreshing': '刷新中…',
  'desk.live.refresh.hint': '立即从服务器取回最新的评分表',
  'desk.live.refreshFailed': '刷新失败：{reason}',
  'desk.live.refreshOffline': '没有网络连接，无法刷新。联网后自动更新。',
} as const satisfies Record<string, Message>;
