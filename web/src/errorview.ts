/** A failed API call shown inline: its code's text in the UI's language, then the server's own reason. */

import { ApiError } from './api';
import { clear, h, tcode } from './dom';
import { errorNotice } from './notices';

/** `details.reason` of an API error: the database's or validator's own words (not translated). */
export function errorReason(e: unknown): string | null {
  if (!(e instanceof ApiError)) return null;
  const reason = e.details?.reason;
  return typeof reason === 'string' && reason ? reason : null;
}

/** Fills `target` with the error's text (data-message-code set) and, when there is one, its reason. */
export function renderApiError(target: HTMLElement, e: unknown, reasonTestid: string): void {
  clear(target);
  const notice = errorNotice(e, false);
  const text = h('span', { class: 'error-text' });
  tcode(text, notice.code, notice.serverMessage);
  target.dataset.messageCode = notice.code;
  target.appendChild(text);
  const reason = errorReason(e);
  if (reason) target.appendChild(h('pre', { class: 'notice-detail', testid: reasonTestid }, reason));
  target.hidden = false;
}
