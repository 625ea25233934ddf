import type { Message } from '../message';

/**
 * Simplified Chinese, the reference catalog: its keys define `MessageKey`, and every other
 * catalog must have exactly the same keys and placeholders (checked by i18n.test.ts).
 * Placeholders are `{name}`; a plural message is `{ one?, other }` chosen by `{count}`.
 */
export const zhCN = {
  'app.name': '观摩',
  'app.latinName': 'Guanmo',
  'app.tagline': '重点项目现场观摩',
  'app.loading': '正在打开本地数据…',
  'app.skipToContent': '跳到正文',

  'nav.main': '主导航',
  'nav.tours': '观摩活动',
  'nav.settings': '设置',

  'network.online': '在线',
  'network.offline': '离线',
  'network.onlineHint': '已联网',
  'network.offlineHint': '当前离线：所有内容照常保存在本机，联网后再同步',

  'common.loading': '正在加载…',
  'common.none': '—',
  'common.listSeparator': '、',

  'tourKind.scored': '观摩评议',
  'tourKind.study': '考察学习',

  'tourStatus.draft': '草稿',
  'tourStatus.published': '已发布',
  'tourStatus.scoring': '评分中',
  'tourStatus.closed': '已结束',
  'tourStatus.results_published': '已公布结果',

  'tours.title': '观摩活动',
  'tours.subtitle': '本机保存的观摩活动，离线也能查看',
  'tours.empty': '本机还没有观摩活动。',
  'tours.stopCount': { other: '{count} 个项目' },
  'tours.unitCount': { other: '{count} 个单位' },
  'tours.dayCount': { other: '{count} 天' },
  'tours.open': '查看行程：{name}',

  'tour.backToList': '返回观摩活动',
  'tour.notFound': '找不到这个观摩活动，它可能已被删除或尚未同步到本机。',
  'tour.itinerary': '行程安排',
  'tour.noStops': '这个活动还没有安排行程。',
  'tour.dayTitle': '第 {number} 天',
  'tour.dayStopCount': { other: '{count} 个项目' },

  'stop.order': '第 {order} 站',
  'stop.hostUnit': '所在单位',
  'stop.category': '项目类型',
  'stop.totalInvestment': '总投资',
  'stop.completedInvestment': '已完成投资',
  'stop.completedShare': '完成 {percent}',
  'stop.address': '地址',
  'stop.unknownUnit': '未知单位',

  'settings.title': '设置',
  'settings.language': '界面语言',
  'settings.languageHint': '只影响本机的显示语言。',
  'settings.about': '关于',
  'settings.aboutText': '观摩用于重点项目现场观摩评议与考察学习：行程、评分、照片和记录都先保存在本机，离线可用，联网后同步。',
  'settings.version': '版本',
  'settings.clientId': '本机标识',
  'settings.localData': '本机数据',
  'settings.localDataValue': '{tours} 个活动，{stops} 个项目',
  'settings.pendingChanges': '待同步的修改',
  'settings.network': '网络',

  'language.zh-CN': '简体中文',
  'language.en': 'English',

  'notFound.title': '页面不存在',
  'notFound.back': '回到观摩活动',

  'error.title': '页面出错了',
  'error.body': '观摩遇到了意外错误，已保存的数据不受影响。请重新加载；如果问题反复出现，请把下面的错误信息告诉管理员。',
  'error.reload': '重新加载',
  'error.dbUnavailableTitle': '无法使用本机数据库',
  'error.dbUnavailableBody': '观摩需要把数据保存在本机（IndexedDB），但这个浏览器不允许：可能是隐私/无痕模式，或网站数据已被禁用。请换用普通窗口、允许本站保存数据，或使用观摩桌面版。',
  'error.dbBlockedTitle': '本机数据库正被另一个窗口占用',
  'error.dbBlockedBody': '观摩的另一个窗口正在使用旧版本的数据。请关闭其它观摩窗口后重新加载。',
} as const satisfies Record<string, Message>;
