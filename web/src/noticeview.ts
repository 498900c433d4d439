/** The notice box of the results area: how the active tab's run went wrong, with Retry and Dismiss. */

import { clear, h, tcode, tx } from './dom';
import type { Notice } from './notices';
import { sluiceErrorText } from './queryerror';

export interface NoticeActions {
  /** Retry pressed (acts on the active tab at the time of the click). */
  retry(): void;
  dismiss(): void;
}

const KIND_TITLES: Record<Notice['kind'], [string, string]> = {
  cancelled: ['notice.cancelled', 'QUERY_CANCELLED'],
  failed: ['notice.failed', 'QUERY_FAILED'],
  'timed-out': ['notice.timedOut', 'QUERY_TIMED_OUT'],
  error: ['notice.error', ''],
};

export class NoticeView {
  readonly element = h('div', { class: 'notices' });
  private renderedKey = '';

  constructor(private readonly actions: NoticeActions) {}

  get retryButton(): HTMLButtonElement | null {
    return this.element.querySelector<HTMLButtonElement>('[data-testid="retry-button"]');
  }

  /** Shows `notice`, rebuilt only when it changed (or after a language switch: `force`); Retry waits while `busy`. */
  render(notice: Notice | null, busy: boolean, force = false): void {
    const key = notice ? JSON.stringify(notice) : '';
    if (key === this.renderedKey && !force) {
      const retry = this.retryButton;
      if (retry) retry.disabled = busy;
      return;
    }
    this.renderedKey = key;
    clear(this.element);
    if (!notice) return;
    const [titleKey, defaultCode] = KIND_TITLES[notice.kind];
    const body = h('div', { class: 'notice-body' }, h('strong', { class: 'notice-title', testid: 'notice-title', text: titleKey }));
    const message = h('span', { class: 'notice-message', testid: 'notice-message' });
    const sluiceText = notice.params ? sluiceErrorText(notice.code, notice.params) : null;
    if (notice.text) {
      tx(message, notice.text[0], notice.text[1]);
      body.append(' ', message);
    } else if (sluiceText) {
      tx(message, sluiceText[0], sluiceText[1]);
      body.append(' ', message);
    } else if (notice.code !== defaultCode) {
      tcode(message, notice.code, notice.serverMessage);
      body.append(' ', message);
    }
    if (notice.detail) body.appendChild(h('pre', { class: 'notice-detail', testid: 'notice-detail' }, notice.detail));
    const actions = h('div', { class: 'notice-actions' });
    if (notice.retry) {
      actions.appendChild(h('button', {
        class: 'btn btn-small', testid: 'retry-button', attrs: { type: 'button', disabled: busy }, text: 'action.retry',
        on: { click: () => this.actions.retry() },
      }));
    }
    actions.appendChild(h('button', {
      class: 'btn-icon', testid: 'notice-dismiss', attrs: { type: 'button' }, i18nAttrs: { 'aria-label': 'action.dismiss', title: 'action.dismiss' },
      on: { click: () => this.actions.dismiss() },
    }, '×'));
    this.element.appendChild(h('div', {
      class: `notice notice-${notice.kind}`, testid: `notice-${notice.kind}`,
      attrs: { role: notice.kind === 'cancelled' ? 'status' : 'alert', 'data-message-code': notice.code },
    }, body, actions));
  }
}
