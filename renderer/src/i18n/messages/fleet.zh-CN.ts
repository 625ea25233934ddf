/**
 * The fleet (issue 15): the sync protocol version gate and the desktop app's self-update,
 * merged into the zh-CN reference catalog. en has the same keys (fleet.en.ts).
 */
export const fleetZhCN = {
  'sync.short.updateRequired': '需要更新',
  'sync.short.serverOutdated': '服务器版本过旧',
  'sync.error.updateRequired': '请更新到 {version} 后再同步。本机的修改都已保存，更新后会自动同步。',
  'sync.error.updateRequiredNoVersion': '请更新到最新版本后再同步。本机的修改都已保存，更新后会自动同步。',
  'sync.error.serverOutdated': '服务器版本过旧，无法与本版本同步。本机的修改都已保存；请联系管理员升级服务器。',
  'update.gate.browserHint': '更新方法：刷新本页（按 F5，或点击浏览器的“刷新”按钮），即可加载服务器上的新版本。本机的修改不会丢失。',
  'update.gate.reload': '刷新页面',
  'update.gate.desktopHint': '本应用会从单位的服务器下载新版本；下载完成后点击“重启并安装”。',
  'update.check': '检查更新',
  'update.checking': '正在检查更新…',
  'update.downloading': '正在下载新版本 {version}（{percent}%）…',
  'update.upToDate': '服务器上没有更新的版本。请联系管理员发布新版本。',
  'update.failed': '暂时无法下载更新，稍后自动重试（已下载的部分会保留）。',
  'update.ready': '新版本 {version} 已下载并校验完毕。',
  'update.install': '重启并安装',
  'update.waitForWork': '有未同步的修改或正在填写的评分表，现在重启会打断工作。请同步完成并关闭评分表后再安装；也会在您退出应用时自动安装。',
  'update.installLater': '稍后',
  'update.installOnQuit': '退出应用时将自动安装。',
} as const;
