/**
 * The data sources panel: the caller's own and the shared datasources (GET /api/datasources), a
 * form to create or edit one, delete after a confirmation, and "Test connection". No password is
 * ever put into the page: the API shows only `hasPassword`, and the password field is emptied as
 * soon as the form is sent or closed.
 */

import { ApiError, type ApiClient, type Datasource } from './api';
import type { ConfirmDialog } from './confirmdialog';
import {
  DATASOURCE_TYPES, DEFAULT_PORTS, SSL_MODES, datasourceBody, datasourceSummary, emptyForm, formFromDatasource,
  isNetworked, validateDatasourceForm, type DatasourceForm, type FieldError, type FormMode,
} from './datasourceform';
import { clear, h, tx } from './dom';
import { renderApiError } from './errorview';
import { formatMillis } from './format';

export type DatasourceApi = Pick<ApiClient,
  'datasources' | 'createDatasource' | 'updateDatasource' | 'deleteDatasource' | 'testDatasource'>;

type TestOutcome = { state: 'testing' } | { state: 'ok'; elapsedMillis?: number } | { state: 'error'; error: unknown };

const FIELDS: (keyof DatasourceForm)[] = ['id', 'type', 'host', 'port', 'database', 'user', 'password', 'sslMode', 'path'];
const FIELD_LABELS: Record<keyof DatasourceForm, string> = {
  id: 'ds.field.id', type: 'ds.field.type', host: 'ds.field.host', port: 'ds.field.port', database: 'ds.field.database',
  user: 'ds.field.user', password: 'ds.field.password', sslMode: 'ds.field.sslMode', path: 'ds.field.path',
};
const TESTIDS: Record<keyof DatasourceForm, string> = {
  id: 'ds-id', type: 'ds-type', host: 'ds-host', port: 'ds-port', database: 'ds-database',
  user: 'ds-user', password: 'ds-password', sslMode: 'ds-ssl-mode', path: 'ds-path',
};

export class DatasourcePanel {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly formTitle: HTMLElement;
  private readonly formError: HTMLElement;
  private readonly passwordHint: HTMLElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly newButton: HTMLButtonElement;
  private readonly inputs = {} as Record<keyof DatasourceForm, HTMLInputElement | HTMLSelectElement>;
  private readonly fieldErrors = {} as Record<keyof DatasourceForm, HTMLElement>;
  private readonly fieldBoxes = {} as Record<keyof DatasourceForm, HTMLElement>;
  private items: Datasource[] = [];
  private loaded = false;
  private mode: FormMode = 'create';
  private editing: Datasource | null = null;
  private readonly tests = new Map<string, TestOutcome>();
  private request = 0;

  /** `changed` hears the list after every read (the "Run as task" dialog offers these datasources). */
  constructor(private readonly api: DatasourceApi, private readonly confirm: ConfirmDialog,
              private readonly changed: (items: Datasource[]) => void = () => undefined) {
    this.newButton = h('button', {
      class: 'btn btn-small', testid: 'datasource-new', attrs: { type: 'button' }, text: 'ds.new',
      on: { click: () => this.openForm('create', null) },
    });
    const refresh = h('button', {
      class: 'btn btn-small', testid: 'datasource-refresh', attrs: { type: 'button' }, text: 'ds.refresh',
      on: { click: () => void this.reload() },
    });
    this.list = h('ul', { class: 'ds-list', testid: 'datasource-list', i18nAttrs: { 'aria-label': 'ds.label' } });
    this.status = h('p', { class: 'muted', testid: 'datasources-status', attrs: { 'aria-live': 'polite' } });
    this.error = h('div', { class: 'inline-error', testid: 'datasources-error', attrs: { role: 'alert' } });
    this.error.hidden = true;

    this.formTitle = h('h3', { class: 'ds-form-title', testid: 'datasource-form-title', attrs: { id: 'ds-form-title' } });
    this.formError = h('div', { class: 'inline-error', testid: 'datasource-form-error', attrs: { role: 'alert', id: 'ds-form-error' } });
    this.formError.hidden = true;
    this.passwordHint = h('p', { class: 'muted small', testid: 'ds-password-hint', attrs: { id: 'ds-password-hint' } });
    this.saveButton = h('button', { class: 'btn btn-primary btn-small', testid: 'datasource-save', attrs: { type: 'submit' }, text: 'ds.save' });
    const cancel = h('button', {
      class: 'btn btn-small', testid: 'datasource-cancel', attrs: { type: 'button' }, text: 'ds.cancel',
      on: { click: () => this.closeForm() },
    });
    const fields = FIELDS.map((f) => this.field(f));
    this.form = h('form', {
      class: 'ds-form', testid: 'datasource-form', attrs: { novalidate: true, 'aria-labelledby': 'ds-form-title' },
    }, this.formTitle, ...fields, this.formError, h('div', { class: 'ds-form-actions' }, this.saveButton, cancel));
    this.form.hidden = true;
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    this.inputs.type.addEventListener('change', () => this.showTypeFields());

    this.element = h('div', { class: 'datasources' },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title', text: 'ds.label' }),
        h('div', { class: 'panel-actions' }, this.newButton, refresh)),
      this.form, this.error, this.list, this.status);
  }

  get datasources(): readonly Datasource[] {
    return this.items;
  }

  private field(name: keyof DatasourceForm): HTMLElement {
    const id = `ds-field-${name}`;
    let control: HTMLInputElement | HTMLSelectElement;
    if (name === 'type') {
      control = h('select', { class: 'select' }, ...DATASOURCE_TYPES.map((t) => h('option', { attrs: { value: t }, text: `ds.type.${t}` })));
    } else if (name === 'sslMode') {
      control = h('select', { class: 'select' },
        h('option', { attrs: { value: '' }, text: 'ds.sslDefault' }),
        ...SSL_MODES.map((m) => h('option', { attrs: { value: m } }, m)));
    } else {
      control = h('input', { class: 'input', attrs: { type: name === 'password' ? 'password' : name === 'port' ? 'number' : 'text' } });
      control.autocomplete = name === 'password' ? 'new-password' : 'off';
      control.spellcheck = false;
      if (name === 'port') Object.assign(control, { min: '1', max: '65535' });
    }
    control.id = id;
    control.dataset.testid = TESTIDS[name];
    const error = h('p', { class: 'field-error', testid: `${TESTIDS[name]}-error`, attrs: { id: `${id}-error` } });
    error.hidden = true;
    this.inputs[name] = control;
    this.fieldErrors[name] = error;
    const box = h('div', { class: `field ds-field ds-field-${name}` },
      h('label', { attrs: { for: id }, text: FIELD_LABELS[name] }), control,
      name === 'password' ? this.passwordHint : null, error);
    this.fieldBoxes[name] = box;
    return box;
  }

  /** Reads the list again (the panel was shown, Refresh, or after a change). */
  async reload(): Promise<void> {
    const id = ++this.request;
    if (!this.loaded) tx(this.status, 'ds.loading');
    try {
      const { data } = await this.api.datasources();
      if (id !== this.request) return;
      this.items = data.items ?? [];
      this.loaded = true;
      this.error.hidden = true;
      this.changed(this.items);
    } catch (e) {
      if (id !== this.request) return;
      renderApiError(this.error, e, 'datasources-error-reason');
    }
    this.render();
  }

  /** Re-renders the list (also after a language switch). */
  render(): void {
    clear(this.list);
    for (const ds of this.items) this.list.appendChild(this.renderItem(ds));
    if (this.loaded && this.items.length === 0) tx(this.status, 'ds.empty');
    else if (this.loaded) {
      delete this.status.dataset.i18n;
      this.status.textContent = '';
    }
  }

  private renderItem(ds: Datasource): HTMLLIElement {
    const test = this.tests.get(ds.id);
    const head = h('div', { class: 'ds-head' },
      h('strong', { class: 'ds-id', testid: 'datasource-id' }, ds.id),
      h('span', { class: 'badge', testid: 'datasource-type', text: `ds.type.${ds.type}` }),
      ds.shared ? h('span', { class: 'badge', testid: 'datasource-shared', text: 'ds.shared', i18nAttrs: { title: ['ds.owner', { owner: ds.owner }] } }) : null,
      ds.hasPassword ? h('span', { class: 'badge badge-ok', testid: 'datasource-password-set', text: 'ds.passwordSet' }) : null,
    );
    const actions = h('div', { class: 'ds-actions' },
      h('button', {
        class: 'btn btn-small', testid: 'datasource-test', attrs: { type: 'button', disabled: test?.state === 'testing' },
        text: test?.state === 'testing' ? 'ds.testing' : 'ds.test', i18nAttrs: { 'aria-label': ['ds.testOf', { id: ds.id }] },
        on: { click: () => void this.test(ds) },
      }),
      h('button', {
        class: 'btn btn-small', testid: 'datasource-edit', attrs: { type: 'button' }, text: 'ds.edit',
        i18nAttrs: { 'aria-label': ['ds.editOf', { id: ds.id }] },
        on: { click: () => this.openForm('edit', ds) },
      }),
      h('button', {
        class: 'btn btn-small btn-danger-quiet', testid: 'datasource-delete', attrs: { type: 'button' }, text: 'ds.delete',
        i18nAttrs: { 'aria-label': ['ds.deleteOf', { id: ds.id }] },
        on: { click: () => void this.remove(ds) },
      }),
    );
    return h('li', {
      class: 'ds-item', testid: 'datasource-item',
      attrs: { 'data-id': ds.id, 'data-type': ds.type, 'data-has-password': String(ds.hasPassword), 'data-shared': String(ds.shared) },
    }, head, h('code', { class: 'ds-summary', testid: 'datasource-summary', attrs: { title: datasourceSummary(ds) } }, datasourceSummary(ds)),
    actions, test && test.state !== 'testing' ? this.renderTest(test) : null);
  }

  private renderTest(test: TestOutcome): HTMLElement {
    const box = h('div', { testid: 'datasource-test-result', attrs: { role: 'status' } });
    if (test.state === 'ok') {
      box.className = 'ds-test ds-test-ok';
      box.dataset.outcome = 'ok';
      box.dataset.messageCode = 'CONNECTION_TEST_SUCCEEDED';
      box.appendChild(h('span', {
        text: test.elapsedMillis === undefined ? 'ds.testOk' : ['ds.testOkIn', { time: formatMillis(test.elapsedMillis) }],
      }));
    } else if (test.state === 'error') {
      box.className = 'ds-test inline-error';
      box.dataset.outcome = 'error';
      renderApiError(box, test.error, 'datasource-test-reason');
    }
    return box;
  }

  private async test(ds: Datasource): Promise<void> {
    this.tests.set(ds.id, { state: 'testing' });
    this.render();
    try {
      const { data } = await this.api.testDatasource(ds.id);
      this.tests.set(ds.id, { state: 'ok', elapsedMillis: data.elapsedMillis });
    } catch (e) {
      this.tests.set(ds.id, { state: 'error', error: e });
    }
    this.render();
    this.list.querySelector<HTMLElement>(`[data-id="${CSS.escape(ds.id)}"] [data-testid="datasource-test"]`)?.focus();
  }

  private async remove(ds: Datasource): Promise<void> {
    const yes = await this.confirm.ask({
      title: ['ds.deleteTitle', { id: ds.id }], message: ['ds.deleteMessage', { id: ds.id }], confirm: 'ds.delete',
    });
    if (!yes) return;
    let failure: unknown = null;
    try {
      await this.api.deleteDatasource(ds.id);
      this.tests.delete(ds.id);
      if (this.editing?.id === ds.id) this.closeForm();
    } catch (e) {
      failure = e;
    }
    await this.reload();
    // After the read, which clears the list's own error: a refused delete (ACCESS_DENIED…) stays in view.
    if (failure) renderApiError(this.error, failure, 'datasources-error-reason');
    this.newButton.focus();
  }

  private openForm(mode: FormMode, ds: Datasource | null): void {
    this.mode = mode;
    this.editing = ds;
    const form = ds ? formFromDatasource(ds) : emptyForm();
    for (const f of FIELDS) this.inputs[f].value = form[f];
    this.inputs.id.disabled = mode === 'edit';
    this.form.dataset.mode = mode;
    tx(this.formTitle, mode === 'edit' ? 'ds.editTitle' : 'ds.newTitle', ds ? { id: ds.id } : undefined);
    if (mode === 'edit' && ds?.hasPassword) tx(this.passwordHint, 'ds.passwordKeep');
    else if (mode === 'edit') tx(this.passwordHint, 'ds.passwordNone');
    else tx(this.passwordHint, 'ds.passwordOptional');
    this.inputs.password.setAttribute('aria-describedby', 'ds-password-hint');
    this.clearErrors();
    this.showTypeFields();
    this.form.hidden = false;
    (mode === 'edit' ? this.inputs.type : this.inputs.id).focus();
  }

  private closeForm(): void {
    this.inputs.password.value = '';
    this.form.hidden = true;
    this.editing = null;
    this.clearErrors();
  }

  private showTypeFields(): void {
    const networked = isNetworked(this.inputs.type.value);
    for (const f of ['host', 'port', 'database', 'user', 'password', 'sslMode'] as const) this.fieldBoxes[f].hidden = !networked;
    this.fieldBoxes.path.hidden = networked;
    const port = DEFAULT_PORTS[this.inputs.type.value];
    (this.inputs.port as HTMLInputElement).placeholder = port ? String(port) : '';
  }

  private readForm(): DatasourceForm {
    const form = emptyForm();
    for (const f of FIELDS) form[f] = this.inputs[f].value;
    return form;
  }

  private clearErrors(): void {
    for (const f of FIELDS) {
      this.fieldErrors[f].hidden = true;
      this.inputs[f].removeAttribute('aria-invalid');
    }
    this.formError.hidden = true;
    clear(this.formError);
  }

  private showFieldErrors(errors: FieldError[]): void {
    for (const err of errors) {
      const el = this.fieldErrors[err.field];
      if (!el.hidden) continue;
      tx(el, err.key);
      el.hidden = false;
      this.inputs[err.field].setAttribute('aria-invalid', 'true');
      this.inputs[err.field].setAttribute('aria-describedby', `${el.id}${err.field === 'password' ? ' ds-password-hint' : ''}`);
    }
    this.inputs[errors[0].field].focus();
  }

  /** The field a 400 names (`details.field`, e.g. "params.host") is marked invalid. */
  private markServerField(e: unknown): void {
    const field = e instanceof ApiError && typeof e.details.field === 'string' ? e.details.field.replace(/^params\./, '') : null;
    if (field && (FIELDS as string[]).includes(field)) {
      const input = this.inputs[field as keyof DatasourceForm];
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'ds-form-error');
      input.focus();
    }
  }

  private async save(): Promise<void> {
    this.clearErrors();
    const form = this.readForm();
    const errors = validateDatasourceForm(form, this.mode);
    if (errors.length) {
      this.showFieldErrors(errors);
      return;
    }
    const body = datasourceBody(form, this.mode);
    this.saveButton.disabled = true;
    try {
      if (this.mode === 'edit' && this.editing) await this.api.updateDatasource(this.editing.id, body);
      else await this.api.createDatasource(body);
      const id = this.editing?.id ?? form.id.trim();
      this.tests.delete(id);
      this.closeForm();
      await this.reload();
      this.list.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"] [data-testid="datasource-test"]`)?.focus();
    } catch (e) {
      renderApiError(this.formError, e, 'datasource-form-reason');
      this.markServerField(e);
    } finally {
      this.saveButton.disabled = false;
    }
  }
}
