/** Tiny DOM helpers, with i18n bindings that survive a language switch. */

import { messageFor, t, type Params } from './i18n';

type Child = Node | string | number | null | undefined | false;
type Listener = (event: Event) => void;

export interface Props {
  class?: string;
  testid?: string;
  /** textContent from the catalog: a key, or [key, params]. */
  text?: string | [string, Params];
  /** Attributes from the catalog: { title: key } or { title: [key, params] }. */
  i18nAttrs?: Record<string, string | [string, Params]>;
  on?: Record<string, Listener>;
  attrs?: Record<string, string | number | boolean | null | undefined>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.testid) el.dataset.testid = props.testid;
  if (props.attrs) {
    for (const [name, value] of Object.entries(props.attrs)) {
      if (value === null || value === undefined || value === false) continue;
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  if (props.text !== undefined) {
    const [key, params] = Array.isArray(props.text) ? props.text : [props.text, undefined];
    tx(el, key, params);
  }
  if (props.i18nAttrs) {
    for (const [attr, spec] of Object.entries(props.i18nAttrs)) {
      const [key, params] = Array.isArray(spec) ? spec : [spec, undefined];
      ta(el, attr, key, params);
    }
  }
  if (props.on) for (const [type, fn] of Object.entries(props.on)) el.addEventListener(type, fn);
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Sets an element's text from a catalog key and remembers the key for a language switch. */
export function tx(el: HTMLElement, key: string, params?: Params): void {
  el.dataset.i18n = key;
  if (params) el.dataset.i18nParams = JSON.stringify(params);
  else delete el.dataset.i18nParams;
  delete el.dataset.i18nCode;
  el.textContent = t(key, params);
}

/** Sets an attribute from a catalog key and remembers it. */
export function ta(el: HTMLElement, attr: string, key: string, params?: Params): void {
  const map = el.dataset.i18nAttrs ? (JSON.parse(el.dataset.i18nAttrs) as Record<string, [string, Params?]>) : {};
  map[attr] = params ? [key, params] : [key];
  el.dataset.i18nAttrs = JSON.stringify(map);
  el.setAttribute(attr, t(key, params));
}

/** Sets an element's text from a server messageCode (the server's message only as fallback). */
export function tcode(el: HTMLElement, code: string, fallback?: string | null): void {
  delete el.dataset.i18n;
  delete el.dataset.i18nParams;
  el.dataset.i18nCode = code;
  if (fallback) el.dataset.i18nFallback = fallback;
  else delete el.dataset.i18nFallback;
  el.dataset.messageCode = code;
  el.textContent = messageFor(code, fallback);
}

/** Re-renders every bound text under root in the current language. */
export function retranslate(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    const params = el.dataset.i18nParams ? (JSON.parse(el.dataset.i18nParams) as Params) : undefined;
    el.textContent = t(el.dataset.i18n!, params);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-code]').forEach((el) => {
    el.textContent = messageFor(el.dataset.i18nCode!, el.dataset.i18nFallback);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-attrs]').forEach((el) => {
    const map = JSON.parse(el.dataset.i18nAttrs!) as Record<string, [string, Params?]>;
    for (const [attr, [key, params]] of Object.entries(map)) el.setAttribute(attr, t(key, params));
  });
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
