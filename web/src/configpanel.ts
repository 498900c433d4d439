/** The effective configuration (GET /api/config): region, workgroup, output location, limits. */

import type { AppConfig, EngineConfig } from './api';
import { clear, h, tcode, tx } from './dom';
import { formatBytes, formatLimitSeconds, formatMillis, NONE } from './format';

function row(key: string, value: string | null | undefined, testid: string, params?: Record<string, string | number>): HTMLElement[] {
  const dt = h('dt', { text: params ? [key, params] : key });
  const dd = h('dd', { testid }, value === null || value === undefined || value === '' ? NONE : value);
  return [dt, dd];
}

function engineSection(engine: EngineConfig, isDefault: boolean): HTMLElement {
  const items: HTMLElement[] = [];
  const add = (key: string, value: string | null | undefined, field: string) => {
    if (value === undefined) return;
    items.push(...row(key, value, `config-${engine.name}-${field}`));
  };
  add('config.type', engine.type, 'type');
  add('config.region', engine.region, 'region');
  add('config.workgroup', engine.workgroup, 'workgroup');
  add('config.outputLocation', engine.outputLocation, 'output-location');
  add('config.defaultCatalog', engine.defaultCatalog, 'default-catalog');
  add('config.defaultDatabase', engine.defaultDatabase, 'default-database');
  if (engine.maxRuntimeSeconds !== undefined) add('config.maxRuntime', formatLimitSeconds(engine.maxRuntimeSeconds), 'max-runtime');
  if (engine.maxScannedBytes !== undefined) add('config.maxScanned', engine.maxScannedBytes === null ? null : formatBytes(engine.maxScannedBytes), 'max-scanned');
  if (engine.resultReuseMinutes !== undefined && engine.resultReuseMinutes !== null) {
    const dd = h('dd', { testid: `config-${engine.name}-result-reuse`, text: ['config.resultReuseMinutes', { n: engine.resultReuseMinutes }] });
    items.push(h('dt', { text: 'config.resultReuse' }), dd);
  }
  if (engine.pollIntervalMillis !== undefined) add('config.pollInterval', formatMillis(engine.pollIntervalMillis), 'poll-interval');
  const title = h('h3', { class: 'config-engine', text: ['config.engine', { name: engine.name }] });
  if (isDefault) title.appendChild(h('span', { class: 'badge', testid: 'config-default-badge', text: 'config.default' }));
  return h('section', { class: 'config-section', testid: 'config-engine', attrs: { 'data-engine': engine.name } },
    title, h('dl', { class: 'config-list' }, ...items));
}

export function renderConfig(target: HTMLElement, config: AppConfig | null, error?: { code: string; message?: string | null }): void {
  clear(target);
  target.appendChild(h('h2', { class: 'panel-title', text: 'config.label' }));
  if (!config) {
    const p = h('p', { class: 'inline-error', testid: 'config-error', attrs: { role: 'alert' } });
    if (error) tcode(p, error.code, error.message);
    else tx(p, 'config.unavailable');
    target.appendChild(p);
    return;
  }
  const general: HTMLElement[] = [
    ...row('config.user', config.user, 'config-user'),
    ...row('config.defaultEngine', config.defaultEngine, 'config-default-engine'),
  ];
  if (config.results) {
    general.push(...row('config.pageSize',
      `${config.results.defaultPageSize ?? NONE} / ${config.results.maxPageSize ?? NONE}`, 'config-page-size'));
  }
  if (config.auth) {
    const dd = h('dd', { testid: 'config-auth' });
    if (config.auth.enabled) tx(dd, 'config.authOn', { header: config.auth.identityHeader ?? 'X-Email' });
    else tx(dd, 'config.authOff');
    general.push(h('dt', { text: 'config.auth' }), dd);
  }
  if (config.locales) general.push(...row('config.locales', config.locales.join(', '), 'config-locales'));
  target.appendChild(h('dl', { class: 'config-list' }, ...general));
  for (const engine of config.engines ?? []) target.appendChild(engineSection(engine, engine.name === config.defaultEngine));
}
