import type { Message } from '../message';
import type { liveZhCN } from './live.zh-CN';

/** English messages of the desk's live updates and manual refresh (keys of live.zh-CN.ts). */
export const liveEn: Record<keyof typeof liveZhCN, Message> = {
  'desk.live.state.live': 'Live',
  'desk.live.state.live.hint': 'This page updates by itself within seconds of a scorer’s sync; no need to refresh.',
  'desk.live.state.polling': 'Periodic refresh',
  'desk.live.state.polling.hint': 'No live connection to the server for now: this page refreshes every {seconds} s.',
  'desk.live.state.paused': 'Updates paused',
  'desk.live.state.paused.hint': 'The network is down. Updates resume when it returns.',
  'desk.live.updatedAt': 'Updated {time}',
  'desk.live.neverUpdated': 'No data from the server yet',
  'desk.live.refresh': 'Refresh',
  'desk.live.refreshing': 'Refreshing…',
  'desk.live.refresh.hint': 'Fetch the latest score sheets from the server now',
  'desk.live.refreshFailed': 'Refresh failed: {reason}',
  'desk.live.refreshOffline': 'No network connection: cannot refresh now. Updates resume when it returns.',
};
