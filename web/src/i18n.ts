/**
 * The UI's own message catalog (zh-CN and en). Server answers are rendered from their
 * `messageCode` through the code texts of servermessages.ts; the server's `message` is only a
 * fallback for codes this catalog does not know, so every answer reads in the UI's language.
 */

import { CODES_EN, CODES_ZH } from './servermessages';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'sluice.locale';

export type Params = Record<string, string | number>;
type Catalog = Record<string, string>;

const UI_ZH: Catalog = {
  'app.title': 'Sluice 查询编辑器',
  'app.skip': '跳到编辑器',
  'picker.engine': '引擎',
  'picker.catalog': '目录',
  'picker.database': '数据库',
  'picker.loading': '加载中…',
  'picker.none': '（无）',
  'lang.label': '语言',
  'side.label': '侧边栏',
  'side.schema': '库表',
  'side.history': '历史',
  'side.config': '配置',
  'tabs.label': '编辑器标签页',
  'tabs.query': '查询 {n}',
  'tabs.new': '新建标签页',
  'tabs.close': '关闭 {name}',
  'tabs.runningTitle': '该标签页的查询仍在运行',
  'tabs.runningMessage': '{name} 中有排队或运行中的查询。不取消就关闭标签页，查询会在服务器上继续运行（历史中仍可找到）。',
  'tabs.cancelAndClose': '取消查询并关闭',
  'tabs.keepAndClose': '保持运行并关闭',
  'tabs.dontClose': '不关闭',
  'editor.label': 'SQL 编辑器',
  'editor.placeholder': '在此输入 SQL，Ctrl/⌘+Enter 运行光标所在语句或选中部分',
  'toolbar.label': '查询操作',
  'action.run': '运行',
  'action.runHint': '运行光标所在语句或选中部分（Ctrl/⌘+Enter）',
  'action.cancel': '取消',
  'action.cancelling': '正在取消…',
  'action.format': '格式化',
  'action.formatHint': '格式化 SQL（Shift+Alt+F）',
  'action.retry': '重试',
  'action.dismiss': '关闭提示',
  'action.close': '关闭',
  'action.copy': '复制',
  'action.copied': '已复制',
  'status.label': '查询状态',
  'status.running': '运行中…',
  'status.submitting': '正在提交…',
  'status.connectionLost': '连接已中断',
  'status.elapsed': '已用时 {time}',
  'status.idle': '就绪',
  'state.QUEUED': '排队中',
  'state.RUNNING': '运行中',
  'state.SUCCEEDED': '成功',
  'state.FAILED': '失败',
  'state.CANCELLED': '已取消',
  'state.TIMED_OUT': '超时',
  'phase.WAITING': '等待执行线程',
  'phase.STARTING': '正在提交到引擎',
  'phase.ENGINE_QUEUED': '在引擎中排队',
  'phase.EXECUTING': '执行中',
  'phase.STORING_RESULT': '正在保存结果',
  'stats.label': '统计',
  'stats.queue': '排队',
  'stats.exec': '执行',
  'stats.scanned': '扫描量',
  'stats.cost': '预估费用',
  'stats.reused': '复用了缓存结果',
  'notice.cancelled': '查询已取消。',
  'notice.failed': '查询失败。',
  'notice.timedOut': '查询超时。',
  'notice.error': '请求出错。',
  'notice.formatFailed': '无法格式化：{reason}',
  'notice.nothingToRun': '没有可运行的语句',
  'notice.connectionLost': '与服务器的连接中断，正在重试…',
  'results.label': '查询结果',
  'results.empty': '运行查询后在此查看结果。',
  'results.noRows': '查询没有返回任何行。',
  'results.rows': '共 {total} 行',
  'results.range': '第 {from}–{to} 行，共 {total} 行',
  'results.completed': '完成于 {time}',
  'results.queryId': '查询 ID',
  'results.loading': '正在加载结果…',
  'results.truncatedRows': '只保留了前 {rows} 行：服务器最多保存结果的 {limit} 行。缩小查询范围（WHERE、LIMIT、GROUP BY）可查看其余数据。',
  'results.truncatedBytes': '只保留了前 {rows} 行：服务器最多保存 {size} 的结果。缩小查询范围（更少的列、WHERE、LIMIT）可查看其余数据。',
  'results.truncated': '只保留了前 {rows} 行。',
  'results.truncatedSome': '只保留了部分结果。',
  'grid.label': '结果表格',
  'grid.rowNumber': '#',
  'grid.null': 'NULL',
  'grid.emptyString': '（空字符串）',
  'grid.showValueOf': '查看 {column} 的完整值',
  'grid.cutMarker': '… 共 {size}',
  'grid.cutHint': '服务器截断了该值，完整大小为 {size}',
  'grid.openFullValue': '完整值',
  'grid.openFullValueOf': '在新标签页中打开 {column} 的完整值（{size}）',
  'value.title': '完整值：{column}',
  'pager.label': '结果分页',
  'pager.prev': '上一页',
  'pager.next': '下一页',
  'pager.page': '页',
  'pager.of': '/ {count}',
  'pager.go': '跳转',
  'pager.pageInput': '页码',
  'download.button': '下载完整结果',
  'download.preparing': '正在生成链接…',
  'download.link': '下载 {file}',
  'download.partial': '部分结果',
  'download.partialHint': '查询未成功完成，文件只包含部分结果',
  'download.expires': '链接有效期至 {time}',
  'history.label': '查询历史',
  'history.search': '搜索 SQL',
  'history.state': '状态',
  'history.allStates': '全部状态',
  'history.refresh': '刷新',
  'history.loadMore': '加载更多',
  'history.empty': '没有查询记录。',
  'history.open': '打开',
  'history.rerun': '重新运行',
  'history.duration': '耗时',
  'history.scanned': '扫描',
  'history.cost': '费用',
  'history.loading': '加载中…',
  'history.truncated': '已截断',
  'history.runs': '运行 {n} 次',
  'history.truncatedHint': '结果只保留了前面的部分行',
  'schema.label': '库表浏览器',
  'schema.refresh': '刷新',
  'schema.expand': '展开 {name}',
  'schema.collapse': '收起 {name}',
  'schema.insert': '插入 {name}',
  'schema.partition': '分区',
  'schema.empty': '（空）',
  'schema.loading': '加载中…',
  'schema.unavailable': '此引擎不提供库表浏览',
  'config.label': '当前生效配置',
  'config.user': '用户',
  'config.defaultEngine': '默认引擎',
  'config.engine': '引擎 {name}',
  'config.default': '默认',
  'config.type': '类型',
  'config.region': '区域',
  'config.workgroup': '工作组',
  'config.outputLocation': '输出位置',
  'config.defaultCatalog': '默认目录',
  'config.defaultDatabase': '默认数据库',
  'config.maxRuntime': '最长运行时间',
  'config.maxScanned': '扫描量上限',
  'config.resultReuse': '结果复用',
  'config.resultReuseMinutes': '{n} 分钟',
  'config.pollInterval': '轮询间隔',
  'config.pageSize': '每页行数（默认 / 最大）',
  'config.auth': '身份认证',
  'config.authOn': '已启用（{header}）',
  'config.authOff': '未启用',
  'config.locales': '语言',
  'config.unavailable': '无法加载配置',
  'common.none': '—',
  'common.yes': '是',
  'common.no': '否',
  'unit.millis': '{n} 毫秒',
  'unit.seconds': '{n} 秒',
  'unit.minutes': '{n} 分钟',
  'unit.hours': '{n} 小时',
  'unit.below': '低于 {amount}',
  'error.QUERY_TIMED_OUT': '查询运行时间超过上限（{limit}），已被停止',
  'error.SCAN_LIMIT_EXCEEDED': '查询扫描了 {scanned}，超过上限（{limit}），已被停止',
  'error.ENGINE_UNAVAILABLE': '查询引擎已找不到该查询（{id}）',
  'error.STATEMENT_NOT_ALLOWED': '第 {statement} 条语句（{kind}）不允许执行。查询可以读取允许目录中的文件；只能把文件（COPY … TO、EXPORT DATABASE）写入管理员配置的可写目录；不能执行 ATTACH、DETACH、INSTALL、LOAD 或修改设置',
  'error.WRITE_QUOTA_EXCEEDED': '写入 {directory} 的数据超过了该目录的配额（{quota}），写入的内容已被删除',
};

const UI_EN: Catalog = {
  'app.title': 'Sluice query editor',
  'app.skip': 'Skip to the editor',
  'picker.engine': 'Engine',
  'picker.catalog': 'Catalog',
  'picker.database': 'Database',
  'picker.loading': 'Loading…',
  'picker.none': '(none)',
  'lang.label': 'Language',
  'side.label': 'Side panel',
  'side.schema': 'Schema',
  'side.history': 'History',
  'side.config': 'Config',
  'tabs.label': 'Editor tabs',
  'tabs.query': 'Query {n}',
  'tabs.new': 'New tab',
  'tabs.close': 'Close {name}',
  'tabs.runningTitle': 'A query of this tab is still running',
  'tabs.runningMessage': '{name} has a query that is queued or running. If the tab closes without cancelling it, the query keeps running on the server (History still lists it).',
  'tabs.cancelAndClose': 'Cancel the query and close',
  'tabs.keepAndClose': 'Keep it running and close',
  'tabs.dontClose': "Don't close",
  'editor.label': 'SQL editor',
  'editor.placeholder': 'Type SQL here; Ctrl/⌘+Enter runs the statement under the cursor or the selection',
  'toolbar.label': 'Query actions',
  'action.run': 'Run',
  'action.runHint': 'Run the statement under the cursor or the selection (Ctrl/⌘+Enter)',
  'action.cancel': 'Cancel',
  'action.cancelling': 'Cancelling…',
  'action.format': 'Format',
  'action.formatHint': 'Format the SQL (Shift+Alt+F)',
  'action.retry': 'Retry',
  'action.dismiss': 'Dismiss',
  'action.close': 'Close',
  'action.copy': 'Copy',
  'action.copied': 'Copied',
  'status.label': 'Query status',
  'status.running': 'Running…',
  'status.submitting': 'Submitting…',
  'status.connectionLost': 'Connection lost',
  'status.elapsed': 'elapsed {time}',
  'status.idle': 'Ready',
  'state.QUEUED': 'Queued',
  'state.RUNNING': 'Running',
  'state.SUCCEEDED': 'Succeeded',
  'state.FAILED': 'Failed',
  'state.CANCELLED': 'Cancelled',
  'state.TIMED_OUT': 'Timed out',
  'phase.WAITING': 'waiting for a worker',
  'phase.STARTING': 'being sent to the engine',
  'phase.ENGINE_QUEUED': 'queued at the engine',
  'phase.EXECUTING': 'executing',
  'phase.STORING_RESULT': 'storing the result',
  'stats.label': 'Statistics',
  'stats.queue': 'Queue',
  'stats.exec': 'Execution',
  'stats.scanned': 'Data scanned',
  'stats.cost': 'Est. cost',
  'stats.reused': 'Reused a cached result',
  'notice.cancelled': 'The query was cancelled.',
  'notice.failed': 'The query failed.',
  'notice.timedOut': 'The query timed out.',
  'notice.error': 'The request failed.',
  'notice.formatFailed': 'Cannot format: {reason}',
  'notice.nothingToRun': 'There is no statement to run',
  'notice.connectionLost': 'Lost the connection to the server; retrying…',
  'results.label': 'Results',
  'results.empty': 'Run a query to see its results here.',
  'results.noRows': 'The query returned no rows.',
  'results.rows': '{total} rows',
  'results.range': 'rows {from}–{to} of {total}',
  'results.completed': 'completed {time}',
  'results.queryId': 'Query id',
  'results.loading': 'Loading results…',
  'results.truncatedRows': 'Only the first {rows} rows were kept: the server stores at most {limit} rows of a result. Narrow the query (WHERE, LIMIT, GROUP BY) to see the rest.',
  'results.truncatedBytes': 'Only the first {rows} rows were kept: the server stores at most {size} of a result. Narrow the query (fewer columns, WHERE, LIMIT) to see the rest.',
  'results.truncated': 'Only the first {rows} rows were kept.',
  'results.truncatedSome': 'Only part of the result was kept.',
  'grid.label': 'Result grid',
  'grid.rowNumber': '#',
  'grid.null': 'NULL',
  'grid.emptyString': '(empty string)',
  'grid.showValueOf': 'Show the full value of {column}',
  'grid.cutMarker': '… {size}',
  'grid.cutHint': 'The server cut this value; in full it is {size}',
  'grid.openFullValue': 'Full value',
  'grid.openFullValueOf': 'Open the full value of {column} ({size}) in a new tab',
  'value.title': 'Full value: {column}',
  'pager.label': 'Result pages',
  'pager.prev': 'Previous',
  'pager.next': 'Next',
  'pager.page': 'Page',
  'pager.of': 'of {count}',
  'pager.go': 'Go',
  'pager.pageInput': 'Page number',
  'download.button': 'Download full result',
  'download.preparing': 'Preparing link…',
  'download.link': 'Download {file}',
  'download.partial': 'partial',
  'download.partialHint': 'The query did not finish; the file holds a partial result',
  'download.expires': 'link valid until {time}',
  'history.label': 'Query history',
  'history.search': 'Search SQL',
  'history.state': 'State',
  'history.allStates': 'All states',
  'history.refresh': 'Refresh',
  'history.loadMore': 'Load more',
  'history.empty': 'No queries yet.',
  'history.open': 'Open',
  'history.rerun': 'Rerun',
  'history.duration': 'Duration',
  'history.scanned': 'Scanned',
  'history.cost': 'Cost',
  'history.loading': 'Loading…',
  'history.truncated': 'truncated',
  'history.runs': '{n} runs',
  'history.truncatedHint': 'Only the first rows of the result were kept',
  'schema.label': 'Schema browser',
  'schema.refresh': 'Refresh',
  'schema.expand': 'Expand {name}',
  'schema.collapse': 'Collapse {name}',
  'schema.insert': 'Insert {name}',
  'schema.partition': 'partition',
  'schema.empty': '(empty)',
  'schema.loading': 'Loading…',
  'schema.unavailable': 'This engine has no catalog to browse',
  'config.label': 'Effective configuration',
  'config.user': 'User',
  'config.defaultEngine': 'Default engine',
  'config.engine': 'Engine {name}',
  'config.default': 'default',
  'config.type': 'Type',
  'config.region': 'Region',
  'config.workgroup': 'Workgroup',
  'config.outputLocation': 'Output location',
  'config.defaultCatalog': 'Default catalog',
  'config.defaultDatabase': 'Default database',
  'config.maxRuntime': 'Max run time',
  'config.maxScanned': 'Scan limit',
  'config.resultReuse': 'Result reuse',
  'config.resultReuseMinutes': '{n} min',
  'config.pollInterval': 'Poll interval',
  'config.pageSize': 'Page size (default / max)',
  'config.auth': 'Authentication',
  'config.authOn': 'on ({header})',
  'config.authOff': 'off',
  'config.locales': 'Languages',
  'config.unavailable': 'Cannot load the configuration',
  'common.none': '—',
  'common.yes': 'yes',
  'common.no': 'no',
  'unit.millis': '{n} ms',
  'unit.seconds': '{n} s',
  'unit.minutes': '{n} min',
  'unit.hours': '{n} h',
  'unit.below': '< {amount}',
  'error.QUERY_TIMED_OUT': 'The query ran longer than its limit of {limit} and was stopped',
  'error.SCAN_LIMIT_EXCEEDED': 'The query scanned {scanned}, more than the limit of {limit}, and was stopped',
  'error.ENGINE_UNAVAILABLE': 'The query engine no longer knows this query ({id})',
  'error.STATEMENT_NOT_ALLOWED': 'Statement {statement} ({kind}) is not allowed. Queries may read files in the allowed folders; they may write files (COPY … TO, EXPORT DATABASE) only into a writable directory the operator configured, and may not ATTACH, DETACH, INSTALL, LOAD or change settings',
  'error.WRITE_QUOTA_EXCEEDED': "The write into {directory} passed the directory's quota of {quota}; what it wrote was removed",
};

const CATALOGS: Record<Locale, { ui: Catalog; codes: Catalog }> = {
  'zh-CN': { ui: UI_ZH, codes: CODES_ZH },
  en: { ui: UI_EN, codes: CODES_EN },
};

let current: Locale = DEFAULT_LOCALE;
const listeners = new Set<(locale: Locale) => void>();

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps a browser language tag to one of ours, or null. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

/** The stored choice, else the browser's first matching language, else zh-CN. */
export function chooseLocale(stored: string | null, browser: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of browser) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  for (const listener of listeners) listener(locale);
}

export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

/** A UI text; an unknown key shows itself (and is caught by the catalog tests). */
export function t(key: string, params?: Params, locale: Locale = current): string {
  const text = CATALOGS[locale].ui[key] ?? CATALOGS[DEFAULT_LOCALE].ui[key] ?? key;
  return interpolate(text, params);
}

export function hasCode(code: string, locale: Locale = current): boolean {
  return Object.prototype.hasOwnProperty.call(CATALOGS[locale].codes, code);
}

/**
 * The text for a server messageCode in the current language; the server's own message only
 * when the code is unknown to this catalog; the bare code as a last resort.
 */
export function messageFor(code: string | null | undefined, fallback?: string | null,
                           locale: Locale = current): string {
  if (code && hasCode(code, locale)) return CATALOGS[locale].codes[code];
  if (fallback) return fallback;
  return code ?? '';
}

/** For tests and tooling. */
export function catalogKeys(locale: Locale): { ui: string[]; codes: string[] } {
  return { ui: Object.keys(CATALOGS[locale].ui), codes: Object.keys(CATALOGS[locale].codes) };
}
