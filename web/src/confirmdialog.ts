/**
 * Asks before something is removed for good (a data source, a workspace table) or before a costly
 * run the lint warned about: a modal <dialog> whose focused, default answer is "don't"; Escape
 * answers "don't" too.
 */

import { clear, h, tx } from './dom';
import type { Params } from './i18n';

export interface ConfirmQuestion {
  title: [string, Params?];
  message: [string, Params?];
  /** The confirming button's text, e.g. "Delete". */
  confirm: string;
  /** Points listed under the message (e.g. the lint's warnings), each a catalog text or given words. */
  items?: (({ key: string; params?: Params } | { text: string }) & { code?: string })[];
  /** The answer buttons' texts when not "Cancel" / `confirm`'s danger style: a plain question. */
  cancel?: string;
  tone?: 'danger' | 'primary';
}

export class ConfirmDialog {
  readonly element: HTMLDialogElement;
  private readonly title: HTMLElement;
  private readonly message: HTMLElement;
  private readonly items: HTMLUListElement;
  private readonly confirmButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private answer: ((yes: boolean) => void) | null = null;

  constructor() {
    this.title = h('h2', { class: 'dialog-title', testid: 'confirm-title', attrs: { id: 'confirm-title' } });
    this.message = h('p', { class: 'dialog-message', testid: 'confirm-message', attrs: { id: 'confirm-message' } });
    this.items = h('ul', { class: 'dialog-items', testid: 'confirm-items' });
    this.confirmButton = h('button', { class: 'btn btn-danger', testid: 'confirm-ok', attrs: { type: 'submit', value: 'yes' } });
    this.cancelButton = h('button', { class: 'btn', testid: 'confirm-cancel', attrs: { type: 'submit', value: 'no' }, text: 'confirm.cancel' });
    const form = h('form', { class: 'dialog-actions', attrs: { method: 'dialog' } }, this.cancelButton, this.confirmButton);
    this.element = h('dialog', {
      class: 'confirm-dialog', testid: 'confirm-dialog',
      attrs: { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' },
    }, this.title, this.message, this.items, form);
    this.element.addEventListener('close', () => {
      const answer = this.answer;
      this.answer = null;
      answer?.(this.element.returnValue === 'yes');
    });
  }

  /** Shows the question; while one is open, another is answered "no". */
  ask(question: ConfirmQuestion): Promise<boolean> {
    if (this.element.open) return Promise.resolve(false);
    tx(this.title, question.title[0], question.title[1]);
    tx(this.message, question.message[0], question.message[1]);
    tx(this.confirmButton, question.confirm);
    tx(this.cancelButton, question.cancel ?? 'confirm.cancel');
    this.confirmButton.className = `btn ${question.tone === 'primary' ? 'btn-primary' : 'btn-danger'}`;
    clear(this.items);
    this.items.hidden = !question.items?.length;
    for (const item of question.items ?? []) {
      const li = h('li', { testid: 'confirm-item' });
      if ('key' in item) tx(li, item.key, item.params);
      else li.append(item.text);
      if (item.code) li.dataset.code = item.code;
      this.items.appendChild(li);
    }
    this.element.returnValue = '';
    return new Promise<boolean>((resolve) => {
      this.answer = resolve;
      this.element.showModal();
      this.cancelButton.focus();
    });
  }
}
