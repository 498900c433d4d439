/**
 * The "Run as task" dialog: the SQL Run would run, an optional result table name, and rows of
 * databases to attach (alias → datasource); sends POST /api/async_query. A modal <dialog>: focus
 * stays inside, Escape closes it without sending anything.
 */

import { ApiError, type ApiClient, type AsyncTask, type Datasource } from './api';
import { clear, h, tcode, tx } from './dom';
import { renderApiError } from './errorview';
import {
  asyncQueryBody, suggestAlias, validateTaskForm, type AttachRow, type TaskForm, type TaskFormError,
} from './taskform';

interface RowControls {
  element: HTMLElement;
  alias: HTMLInputElement;
  datasource: HTMLSelectElement;
  aliasError: HTMLElement;
  datasourceError: HTMLElement;
}

export class TaskDialog {
  readonly element: HTMLDialogElement;
  private readonly sqlView: HTMLElement;
  private readonly tableName: HTMLInputElement;
  private readonly tableError: HTMLElement;
  private readonly sqlError: HTMLElement;
  private readonly rowsBox: HTMLElement;
  private readonly addButton: HTMLButtonElement;
  private readonly noDatasources: HTMLElement;
  private readonly formError: HTMLElement;
  private readonly submitButton: HTMLButtonElement;
  private rows: RowControls[] = [];
  private datasources: readonly Datasource[] = [];
  private sql = '';
  private seq = 0;

  constructor(private readonly api: Pick<ApiClient, 'submitTask'>, private readonly submitted: (task: AsyncTask) => void) {
    const title = h('h2', { class: 'dialog-title', testid: 'task-dialog-title', attrs: { id: 'task-dialog-title' }, text: 'task.dialogTitle' });
    this.sqlView = h('pre', { class: 'task-sql', testid: 'task-sql', attrs: { id: 'task-sql', tabindex: 0 } });
    this.sqlError = h('p', { class: 'field-error', testid: 'task-sql-error' });
    this.tableName = h('input', {
      class: 'input', testid: 'task-table-name',
      attrs: { id: 'task-table-name', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: 63, 'aria-describedby': 'task-table-hint' },
    });
    this.tableError = h('p', { class: 'field-error', testid: 'task-table-name-error', attrs: { id: 'task-table-error' } });
    this.rowsBox = h('div', { class: 'attach-rows', testid: 'task-attach-rows' });
    this.addButton = h('button', {
      class: 'btn btn-small', testid: 'task-attach-add', attrs: { type: 'button' }, text: 'task.attachAdd',
      on: { click: () => this.addRow().alias.focus() },
    });
    this.noDatasources = h('p', { class: 'muted small', testid: 'task-no-datasources', text: 'task.noDatasources' });
    this.formError = h('div', { class: 'inline-error', testid: 'task-form-error', attrs: { role: 'alert' } });
    this.submitButton = h('button', { class: 'btn btn-primary', testid: 'task-submit', attrs: { type: 'submit' }, text: 'task.submit' });
    const cancel = h('button', {
      class: 'btn', testid: 'task-cancel', attrs: { type: 'button' }, text: 'task.close',
      on: { click: () => this.element.close() },
    });
    const form = h('form', { class: 'task-form', attrs: { novalidate: true } },
      h('div', { class: 'field' }, h('span', { class: 'field-label', attrs: { id: 'task-sql-label' }, text: 'task.sql' }), this.sqlView, this.sqlError),
      h('div', { class: 'field' },
        h('label', { attrs: { for: 'task-table-name' }, text: 'task.tableName' }),
        this.tableName,
        h('p', { class: 'muted small', attrs: { id: 'task-table-hint' }, text: 'task.tableNameHint' }),
        this.tableError),
      h('fieldset', { class: 'attach' },
        h('legend', { text: 'task.attach' }),
        this.rowsBox, this.noDatasources, this.addButton),
      this.formError,
      h('div', { class: 'dialog-actions' }, cancel, this.submitButton));
    this.sqlView.setAttribute('aria-labelledby', 'task-sql-label');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.element = h('dialog', {
      class: 'confirm-dialog task-dialog', testid: 'task-dialog', attrs: { 'aria-labelledby': 'task-dialog-title' },
    }, title, form);
    this.element.addEventListener('close', () => this.reset());
  }

  /** Opens the dialog for `sql`, offering `datasources` to attach. */
  open(sql: string, datasources: readonly Datasource[]): void {
    if (this.element.open) return;
    this.sql = sql;
    this.datasources = datasources;
    this.sqlView.textContent = sql;
    this.reset();
    this.element.showModal();
    this.tableName.focus();
  }

  /** The datasources offered changed (the list was read again). */
  setDatasources(datasources: readonly Datasource[]): void {
    this.datasources = datasources;
    if (!this.element.open) return;
    for (const row of this.rows) this.fillDatasources(row.datasource, row.datasource.value);
    this.showAvailability();
  }

  private reset(): void {
    this.tableName.value = '';
    this.rows = [];
    clear(this.rowsBox);
    this.clearErrors();
    this.submitButton.disabled = false;
    this.showAvailability();
  }

  private showAvailability(): void {
    const none = this.datasources.length === 0;
    this.noDatasources.hidden = !none;
    this.addButton.disabled = none;
  }

  private fillDatasources(select: HTMLSelectElement, value: string): void {
    clear(select);
    select.appendChild(h('option', { attrs: { value: '' }, text: 'task.chooseDatasource' }));
    for (const ds of this.datasources) {
      select.appendChild(h('option', {
        attrs: { value: ds.id },
        text: [ds.shared ? 'task.datasourceOptionShared' : 'task.datasourceOption', { id: ds.id, type: ds.type }],
      }));
    }
    select.value = this.datasources.some((d) => d.id === value) ? value : '';
  }

  private addRow(): RowControls {
    const n = ++this.seq;
    const aliasId = `task-attach-alias-${n}`;
    const dsId = `task-attach-ds-${n}`;
    const alias = h('input', {
      class: 'input', testid: 'task-attach-alias',
      attrs: { id: aliasId, type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: 63 },
    });
    const datasource = h('select', { class: 'select', testid: 'task-attach-datasource', attrs: { id: dsId } });
    this.fillDatasources(datasource, '');
    datasource.addEventListener('change', () => {
      if (!alias.value.trim() && datasource.value) alias.value = suggestAlias(datasource.value);
    });
    const aliasError = h('p', { class: 'field-error', testid: 'task-attach-alias-error', attrs: { id: `${aliasId}-error` } });
    const datasourceError = h('p', { class: 'field-error', testid: 'task-attach-datasource-error', attrs: { id: `${dsId}-error` } });
    aliasError.hidden = true;
    datasourceError.hidden = true;
    const row: RowControls = { element: h('div'), alias, datasource, aliasError, datasourceError };
    const remove = h('button', {
      class: 'btn btn-small', testid: 'task-attach-remove', attrs: { type: 'button' }, text: 'task.attachRemove',
      on: { click: () => this.removeRow(row) },
    });
    row.element = h('div', { class: 'attach-row', testid: 'task-attach-row' },
      h('div', { class: 'field' }, h('label', { attrs: { for: aliasId }, text: 'task.alias' }), alias, aliasError),
      h('div', { class: 'field' }, h('label', { attrs: { for: dsId }, text: 'task.datasource' }), datasource, datasourceError),
      remove);
    this.rows.push(row);
    this.rowsBox.appendChild(row.element);
    return row;
  }

  private removeRow(row: RowControls): void {
    const i = this.rows.indexOf(row);
    if (i < 0) return;
    this.rows.splice(i, 1);
    row.element.remove();
    (this.rows[Math.min(i, this.rows.length - 1)]?.alias ?? this.addButton).focus();
  }

  private readForm(): TaskForm {
    const attach: AttachRow[] = this.rows.map((r) => ({ alias: r.alias.value, connectionId: r.datasource.value }));
    return { sql: this.sql, tableName: this.tableName.value, attach };
  }

  private clearErrors(): void {
    for (const el of [this.tableError, this.sqlError, ...this.rows.flatMap((r) => [r.aliasError, r.datasourceError])]) {
      el.hidden = true;
      delete el.dataset.i18n;
      delete el.dataset.i18nCode;
      el.textContent = '';
    }
    for (const input of [this.tableName, ...this.rows.flatMap((r) => [r.alias, r.datasource])]) input.removeAttribute('aria-invalid');
    this.tableName.setAttribute('aria-describedby', 'task-table-hint');
    this.formError.hidden = true;
    clear(this.formError);
  }

  private showErrors(errors: TaskFormError[]): void {
    let first: HTMLElement | null = null;
    for (const err of errors) {
      let target: HTMLElement;
      let input: HTMLElement | null;
      if (err.field === 'tableName') [target, input] = [this.tableError, this.tableName];
      else if (err.field === 'sql') [target, input] = [this.sqlError, null];
      else {
        const row = this.rows[err.row ?? 0];
        [target, input] = err.field === 'alias' ? [row.aliasError, row.alias] : [row.datasourceError, row.datasource];
      }
      if (!target.hidden) continue;
      tx(target, err.key);
      target.hidden = false;
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', target.id);
        first ??= input;
      }
    }
    first?.focus();
  }

  private async submit(): Promise<void> {
    this.clearErrors();
    const form = this.readForm();
    const errors = validateTaskForm(form);
    if (errors.length) {
      this.showErrors(errors);
      return;
    }
    this.submitButton.disabled = true;
    try {
      const { data } = await this.api.submitTask(asyncQueryBody(form));
      this.element.close();
      this.submitted(data);
    } catch (e) {
      renderApiError(this.formError, e, 'task-form-reason');
      if (e instanceof ApiError && e.details.field === 'custom_table_name') {
        this.tableName.setAttribute('aria-invalid', 'true');
        this.tableName.focus();
      }
      // A datasource that is gone (deleted meanwhile): its row says so.
      const missing = e instanceof ApiError && e.code === 'CONNECTION_NOT_FOUND' ? e.details.connection_id : null;
      for (const row of this.rows.filter((r) => missing && r.datasource.value === missing)) {
        tcode(row.datasourceError, 'CONNECTION_NOT_FOUND');
        row.datasourceError.hidden = false;
        row.datasource.setAttribute('aria-invalid', 'true');
        row.datasource.setAttribute('aria-describedby', row.datasourceError.id);
      }
    } finally {
      this.submitButton.disabled = false;
    }
  }
}
