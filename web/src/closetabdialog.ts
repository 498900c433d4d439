/**
 * Asks what to do with a query that is queued or running when its editor tab is closed: closing
 * the tab would otherwise leave it running unseen until its time limit. A modal <dialog> (focus
 * kept inside, Escape closes it) whose default, focused choice cancels the query.
 */

import { h, tx } from './dom';

/** "cancel": cancel the query and close; "keep": close and let it run on; "stay": don't close. */
export type CloseChoice = 'cancel' | 'keep' | 'stay';

export class CloseTabDialog {
  readonly element: HTMLDialogElement;
  private readonly message: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private answer: ((choice: CloseChoice) => void) | null = null;

  constructor() {
    const title = h('h2', { class: 'dialog-title', testid: 'close-tab-title', attrs: { id: 'close-tab-title' }, text: 'tabs.runningTitle' });
    this.message = h('p', { class: 'dialog-message', testid: 'close-tab-message', attrs: { id: 'close-tab-message' } });
    const choice = (value: CloseChoice, key: string, testid: string, primary = false) => h('button', {
      class: primary ? 'btn btn-primary' : 'btn', testid,
      attrs: { type: 'submit', value }, text: key,
    });
    this.cancelButton = choice('cancel', 'tabs.cancelAndClose', 'close-tab-cancel-query', true);
    const form = h('form', { class: 'dialog-actions', attrs: { method: 'dialog' } },
      this.cancelButton,
      choice('keep', 'tabs.keepAndClose', 'close-tab-keep-running'),
      choice('stay', 'tabs.dontClose', 'close-tab-stay'));
    this.element = h('dialog', {
      class: 'confirm-dialog', testid: 'close-tab-dialog',
      attrs: { 'aria-labelledby': 'close-tab-title', 'aria-describedby': 'close-tab-message' },
    }, title, this.message, form);
    // Escape (the dialog's own "cancel") leaves returnValue empty: the tab stays.
    this.element.addEventListener('close', () => {
      const value = this.element.returnValue;
      this.settle(value === 'cancel' || value === 'keep' ? value : 'stay');
    });
  }

  /** Shows the question for the tab called `tabName`; while one question is open, another is answered "stay". */
  ask(tabName: string): Promise<CloseChoice> {
    if (this.element.open) return Promise.resolve('stay');
    tx(this.message, 'tabs.runningMessage', { name: tabName });
    this.element.returnValue = '';
    return new Promise<CloseChoice>((resolve) => {
      this.answer = resolve;
      this.element.showModal();
      this.cancelButton.focus();
    });
  }

  private settle(choice: CloseChoice): void {
    const answer = this.answer;
    this.answer = null;
    answer?.(choice);
  }
}
