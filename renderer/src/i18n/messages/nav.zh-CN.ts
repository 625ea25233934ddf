import type { Message } from '../message';

/**
 * Simplified Chinese messages of navigation and landing (tour bar, desk actions, sign-in screen),
 * demo mode (演示 marks, clearing demo leftovers) and the honest pending count, merged into the
 * zh-CN reference catalog (zh-CN.ts spreads it). en has the same keys (nav.en.ts).
 */
export const navZhCN = {
  // ── the tour bar above editor, board, rankings and bulletin ──
  'tourNav.label': '本活动的页面',
  'tourNav.itinerary': '行程',
  'tourNav.editor': '编辑',
  'tourNav.board': '评分进度',
  'tourNav.boardRankVote': '投票进度',
  'tourNav.rankings': '排名',
  'tourNav.bulletin': '通报',

  // ── desk home: actions per tour ──
  'deskHome.edit': '编辑',
  'deskHome.board': '评分进度',
  'deskHome.boardRankVote': '投票进度',
  'deskHome.results': '排名与通报',
  'deskHome.export': '导出',
  'deskHome.exportTitle': '导出排名表：{tour}',
  'deskHome.exportRules': '按本活动已保存的排名规则计算，导出为 Excel 工作簿。',
  'deskHome.exportComputing': '正在计算排名…',
  'deskHome.exportMissingSheets': { other: '还有 {count} 张评分表没有提交，导出的是目前已提交的结果。' },
  'deskHome.exportMissingBallots': { other: '还有 {count} 张排序票没有提交，导出的是目前已提交的结果。' },
  'deskHome.exportFailed': '无法计算排名：{reason}',
  'deskHome.exportClose': '关闭',
  'deskHome.notScored': '考察学习活动不评分',

  // ── demo mode ──
  'demo.badge': '演示',
  'demo.badgeHint': '演示活动：用于体验和培训，不是正式数据',
  'demoCleanup.title': '已清除本机的演示数据',
  'demoCleanup.removed': { other: '这台电脑连接的是正式服务器，已删除本机保存的 {count} 个演示活动（{names}）。' },
  'demoCleanup.kept': {
    other: '演示活动“{names}”中有 {count} 项内容还没有同步过，已保留并标为“演示”：它们不会进入正式服务器，登录后可在“同步”页查看并放弃。',
  },
  'demoCleanup.dismiss': '知道了',

  // ── first screen and switching people on a real server ──
  'signInScreen.title': '登录',
  'signInScreen.intro': '请使用秘书处发给您的账号登录。登录后，分配给您的观摩活动会同步到这台电脑，之后没有网络也能打分、拍照和记录。',
  'signInScreen.checking': '正在连接服务器…',
  'signInScreen.recentTitle': '在这台电脑上登录过的账号',
  'signInScreen.recentHint': '点选您的账号，再输入密码。',
  'signInScreen.switchTitle': '更换使用者',
  'signInScreen.switchHint': '每个人用自己的账号登录，评分、照片和记录才会以本人名义同步到服务器。换人前，请确认右上角显示“已同步”。',
  'signInScreen.back': '返回设置',

  // ── 观摩活动 for the secretariat ──
  'tours.deskSubtitle': '本机保存的全部观摩活动',
  'tours.deskCallout': '您以秘书处账号登录：新建和编辑活动、查看评分进度、排名与通报，请到{deskLink}。',
  'tours.deskLink': '秘书处工作台',
  'tours.deskEmpty': '本机还没有观摩活动。请到{deskLink}新建，或联网同步。',
  'tour.results.rankings': '查看排名',
  'tour.results.bulletin': '查看通报',
  'tour.results.desk': '在秘书处工作台编辑',

  // ── honest pending count: records per kind, not field edits ──
  'pending.sheets': { other: '{count} 张评分表' },
  'pending.ballots': { other: '{count} 张排序票' },
  'pending.notes': { other: '{count} 条记录' },
  'pending.photos': { other: '{count} 张照片' },
  'pending.tours': { other: '{count} 个观摩活动' },
  'pending.stops': { other: '{count} 个观摩项目' },
  'pending.units': { other: '{count} 个参评单位' },
  'pending.scorers': { other: '{count} 名参加人员' },
  'pending.separator': '、',
  'pending.toSync': '{list}待同步',
  'pending.toSyncMore': { other: '{list}等 {count} 类待同步' },
  'pending.nothing': '本机内容已全部同步',
  'pending.photoBytes': { other: '其中 {count} 张照片的原图待上传（{size}）' },
} as const satisfies Record<string, Message>;
