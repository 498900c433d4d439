// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ColumnInfo, type ResultPageData } from '../src/api';
import type { ChartFactory, ChartSpec } from '../src/charts';
import { createFilterBar } from '../src/filterbar';
import { renderGrid } from '../src/grid';
import { setLocale } from '../src/i18n';
import { ResultBrowser, type ResultHost } from '../src/resultbrowser';
import { chartSpec, ResultChart } from '../src/resultchart';
import { MAX_FILTERS, ResultView } from '../src/resultview';
import { deferred, ok, pageOf } from './fakes';

describe('ResultView', () => {
  it('sorts ascending, then descending, then not at all, and names columns by index', () => {
    const asc = new ResultView().toggleSort(2);
    expect(asc.params()).toEqual({ sort: '#2:asc' });
    const desc = asc.toggleSort(2);
    expect(desc.params()).toEqual({ sort: '#2:desc' });
    expect(desc.toggleSort(2).params()).toEqual({});
    expect(desc.toggleSort(2).plain).toBe(true);
    expect(desc.toggleSort(0).params().sort).toBe('#0:asc');
  });

  it('keeps filters in order, without value for null tests and without duplicates, up to the bound', () => {
    let v = new ResultView()
      .withFilter({ op: 'gt', column: 1, value: '10' })
      .withFilter({ op: 'contains', column: 0, value: 'a:b,c' })
      .withFilter({ op: 'null', column: 3, value: 'ignored' })
      .withFilter({ op: 'gt', column: 1, value: '10' });
    expect(v.params()).toEqual({ filter: ['gt:#1:10', 'contains:#0:a:b,c', 'null:#3'] });
    expect(v.withoutFilter(1).params().filter).toEqual(['gt:#1:10', 'null:#3']);
    expect(v.toggleSort(1).withoutSort().params()).toEqual(v.params());
    for (let i = 0; i < 20; i++) v = v.withFilter({ op: 'eq', column: 0, value: String(i) });
    expect(v.filters).toHaveLength(MAX_FILTERS);
  });
});

function host(): ResultHost & { failures: unknown[] } {
  const failures: unknown[] = [];
  return { queryId: () => 'q1', changed: () => {}, failed: (e) => failures.push(e), notFinished: () => {}, failures };
}

describe('ResultBrowser views', () => {
  it('asks for the first page of a new view with its parameters and pages on within it', async () => {
    const results = vi.fn(async (_id: string, page: { filter?: string[] }) =>
      ok(page.filter ? pageOf(0, 100, 140, 'c100') : pageOf(0, 100, 250, 'c100')));
    const browser = new ResultBrowser({ results, download: vi.fn() } as never, 100, host());
    await browser.first();
    const sorted = browser.view.toggleSort(1).withFilter({ op: 'ge', column: 0, value: '5' });
    await browser.setView(sorted);
    expect(results).toHaveBeenLastCalledWith('q1', { offset: 0, limit: 100, sort: '#1:asc', filter: ['ge:#0:5'] });
    expect(browser.view).toBe(sorted);
    expect(browser.pager.range?.total).toBe(140);
    expect(browser.storedRows).toBe(250); // seen on the plain page; the filtered one does not change it
    await browser.next();
    expect(results).toHaveBeenLastCalledWith('q1', { cursor: 'c100', limit: 100, sort: '#1:asc', filter: ['ge:#0:5'] });
    browser.reset();
    expect(browser.view.plain).toBe(true);
  });

  it('asks for a view again while the server still converts the result, then shows it', async () => {
    vi.useFakeTimers();
    try {
      const h = host();
      const plain = pageOf(0, 100, 250, 'c100');
      const sorted = pageOf(0, 100, 250, 's100');
      let converting = 2;
      const results = vi.fn(async (_id: string, page: { sort?: string }) => {
        if (page.sort && converting-- > 0) {
          throw new ApiError(409, 'RESULT_CONVERTING', 'still being prepared', { retryAfterSeconds: 5 });
        }
        return ok(page.sort ? sorted : plain);
      });
      const browser = new ResultBrowser({ results, download: vi.fn() } as never, 100, h);
      await browser.first();
      const shown = browser.setView(browser.view.toggleSort(0));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(results).toHaveBeenCalledTimes(2); // the first page, then the view once
      expect(browser.loading).toBe(true);
      await vi.advanceTimersByTimeAsync(1);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await shown).toBe(true);
      expect(results).toHaveBeenCalledTimes(4);
      expect(browser.page).toBe(sorted);
      expect(browser.view.plain).toBe(false);
      expect(h.failures).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops asking for a view being converted once another view is asked for', async () => {
    vi.useFakeTimers();
    try {
      const h = host();
      const results = vi.fn(async (_id: string, page: { sort?: string; filter?: string[] }) => {
        if (page.sort === '#0:asc') throw new ApiError(409, 'RESULT_CONVERTING', null, { retryAfterSeconds: 5 });
        return ok(pageOf(0, 100, 250, 'c100'));
      });
      const browser = new ResultBrowser({ results, download: vi.fn() } as never, 100, h);
      await browser.first();
      const superseded = browser.setView(browser.view.toggleSort(0));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await browser.setView(browser.view.toggleSort(1))).toBe(true);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await superseded).toBe(false);
      expect(results.mock.calls.filter(([, page]) => page.sort === '#0:asc')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the view and page shown when the server refuses a view, and says why', async () => {
    const h = host();
    const plain = pageOf(0, 100, 250, 'c100');
    const results = vi.fn(async (_id: string, page: { sort?: string }) => {
      if (page.sort) throw new ApiError(409, 'RESULT_NOT_COLUMNAR', 'stored by an earlier version');
      return ok(plain);
    });
    const browser = new ResultBrowser({ results, download: vi.fn() } as never, 100, h);
    await browser.first();
    expect(await browser.setView(browser.view.toggleSort(0))).toBe(false);
    expect(browser.view.plain).toBe(true);
    expect(browser.page).toBe(plain);
    expect(browser.loading).toBe(false);
    expect((h.failures[0] as ApiError).code).toBe('RESULT_NOT_COLUMNAR');
  });

  it('shows only the answer to the latest page or view asked for', async () => {
    const slow = deferred<ReturnType<typeof ok<ResultPageData>>>();
    const fast = pageOf(0, 100, 40, null);
    const results = vi.fn()
      .mockImplementationOnce(() => slow.promise)
      .mockImplementationOnce(async () => ok(fast));
    const browser = new ResultBrowser({ results, download: vi.fn() } as never, 100, host());
    const first = browser.first();
    await browser.setView(browser.view.withFilter({ op: 'lt', column: 0, value: '40' }));
    slow.resolve(ok(pageOf(0, 100, 250, 'c100')));
    await first;
    expect(browser.page).toBe(fast);
    expect(browser.pager.range?.total).toBe(40);
  });

  it('asks for the download in the chosen format and forgets a link of another format', async () => {
    const download = vi.fn(async (_id: string, format: string) => ok({ url: `/api/files/t.${format}` }));
    const browser = new ResultBrowser({ results: vi.fn(), download } as never, 100, host());
    await browser.prepareDownload();
    expect(download).toHaveBeenLastCalledWith('q1', 'csv');
    browser.setDownloadFormat('parquet');
    expect(browser.download).toBeNull();
    await browser.prepareDownload();
    expect(download).toHaveBeenLastCalledWith('q1', 'parquet');
    expect(browser.download?.url).toBe('/api/files/t.parquet');
  });
});

const COLUMNS: ColumnInfo[] = [{ name: 'n', type: 'bigint' }, { name: 'label', type: 'varchar' }];

describe('sorting and filtering controls', () => {
  it('makes each header a sort button that shows the sort in force', () => {
    setLocale('en');
    const onSort = vi.fn();
    const page = { ...pageOf(0, 2, 2, null), columns: COLUMNS };
    const table = renderGrid(page, { viewer: { open() {} }, fullValueUrl: () => null, onSort, sort: { column: 1, desc: true } });
    const headers = [...table.querySelectorAll<HTMLElement>('[data-testid="grid-column"]')];
    expect(headers[1].getAttribute('aria-sort')).toBe('descending');
    expect(headers[0].hasAttribute('aria-sort')).toBe(false);
    const buttons = table.querySelectorAll<HTMLButtonElement>('[data-testid="grid-sort"]');
    expect(buttons[1].title).toBe('Stop sorting by label');
    buttons[0].click();
    expect(onSort).toHaveBeenCalledWith(0);
  });

  it('adds a filter from the bar and removes it and the sort from their chips', async () => {
    setLocale('en');
    let view = new ResultView().toggleSort(0);
    let accept = true;
    const bar = createFilterBar(async (change) => {
      if (!accept) return false;
      view = change(view);
      bar.render(COLUMNS, view, false);
      return true;
    });
    bar.render(COLUMNS, view, false);
    const el = bar.element;
    expect((el.querySelector('[data-testid="filter-column"]') as HTMLSelectElement).value).toBe('0');
    (el.querySelector('[data-testid="filter-column"]') as HTMLSelectElement).value = '1';
    (el.querySelector('[data-testid="filter-op"]') as HTMLSelectElement).value = 'contains';
    (el.querySelector('[data-testid="filter-value"]') as HTMLInputElement).value = 'shop';
    el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(view.params()).toEqual({ sort: '#0:asc', filter: ['contains:#1:shop'] });
    const chip = el.querySelector('[data-testid="filter-chip"]')!;
    expect(chip.textContent).toContain('label contains shop');
    const field = el.querySelector('[data-testid="filter-value"]') as HTMLInputElement;
    await vi.waitFor(() => expect(field.value).toBe(''));

    // A value the server refuses stays in the field.
    accept = false;
    field.value = 'abc';
    el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await Promise.resolve();
    await Promise.resolve();
    expect(field.value).toBe('abc');
    accept = true;

    (el.querySelector('[data-testid="filter-chip-remove"]') as HTMLButtonElement).click();
    (el.querySelector('[data-testid="sort-chip-remove"]') as HTMLButtonElement).click();
    expect(view.plain).toBe(true);
    expect((el.querySelector('[data-testid="filter-chips"]') as HTMLElement).hidden).toBe(true);
  });
});

describe('ResultChart', () => {
  const columns: ColumnInfo[] = [{ name: 'g', type: 'varchar' }, { name: 'amount', type: 'decimal(12,2)' }, { name: 'day', type: 'date' }];

  function setUp(view: { current: ResultView }) {
    const aggregate = vi.fn(async (_id: string, _p: object) => ok({
      columns: [], rows: [['a', 3], [null, '10.25']], truncated: true,
    }));
    const drawn: ChartSpec[] = [];
    const factory: ChartFactory = (_host, spec) => {
      drawn.push(spec);
      return { update: (s) => drawn.push(s), resize() {}, dispose() {} };
    };
    const failed = vi.fn();
    const chart = new ResultChart({ aggregate } as never, async () => factory,
      { queryId: () => 'q1', view: () => view.current, failed, locale: () => 'en' });
    return { chart, aggregate, drawn, failed };
  }

  it('offers a count and the numeric columns\' measures, and draws the server\'s groups with the grid\'s filters', async () => {
    setLocale('en');
    const view = { current: new ResultView().withFilter({ op: 'gt', column: 1, value: '5' }) };
    const { chart, aggregate, drawn } = setUp(view);
    chart.render('q1', columns);
    const measure = chart.element.querySelector<HTMLSelectElement>('[data-testid="chart-measure"]')!;
    expect([...measure.options].map((o) => o.value)).toEqual(['count', 'sum:#1', 'avg:#1', 'min:#1', 'max:#1']);
    measure.value = 'sum:#1';
    chart.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(drawn).toHaveLength(1));
    expect(aggregate).toHaveBeenCalledWith('q1', { groupBy: '#0', measures: 'sum:#1', filter: ['gt:#1:5'], limit: 500 });
    expect(drawn[0]).toMatchObject({ kind: 'bar', name: 'Sum of amount', categories: ['a', 'NULL'], values: [3, 10.25] });
    expect(chart.element.querySelector<HTMLElement>('[data-testid="chart-note"]')!.textContent).toBe('Only the first 500 groups are shown');

    // Another filter in the grid: the chart is drawn again with it; another query forgets it.
    view.current = view.current.withoutFilter(0);
    chart.render('q1', columns);
    await vi.waitFor(() => expect(drawn).toHaveLength(2));
    expect(aggregate).toHaveBeenLastCalledWith('q1', { groupBy: '#0', measures: 'sum:#1', filter: undefined, limit: 500 });
    chart.render('q2', columns);
    expect(chart.element.querySelector<HTMLElement>('[data-testid="chart-canvas"]')!.hidden).toBe(true);
  });

  it('draws the chart once the server has prepared the result, asking again meanwhile', async () => {
    vi.useFakeTimers();
    try {
      setLocale('en');
      const { chart, aggregate, drawn, failed } = setUp({ current: new ResultView() });
      chart.render('q1', columns);
      aggregate.mockRejectedValueOnce(new ApiError(409, 'RESULT_CONVERTING', null, { retryAfterSeconds: 5 }));
      chart.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(aggregate).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(drawn).toHaveLength(1));
      expect(aggregate).toHaveBeenCalledTimes(2);
      expect(failed).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('names the groups of no rows, and passes a refusal on', async () => {
    setLocale('en');
    const { chart, aggregate, failed } = setUp({ current: new ResultView() });
    chart.render('q1', columns);
    aggregate.mockRejectedValueOnce(new ApiError(409, 'RESULT_NOT_COLUMNAR', null));
    chart.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(failed).toHaveBeenCalled());
    expect(chartSpec({ columns: [], rows: [], truncated: false }, 'x', 'en').categories).toEqual([]);
  });
});
