import { describe, expect, it } from 'vitest';
import { ResultPager } from '../src/paging';

const page = (offset: number, rowCount: number, totalRows: number, nextCursor: string | null) =>
  ({ offset, rowCount, totalRows, nextCursor });

describe('ResultPager', () => {
  it('starts at offset 0 and pages forward by cursor', () => {
    const p = new ResultPager(100);
    expect(p.current).toBeNull();
    expect(p.first()).toEqual({ offset: 0 });
    expect(p.next()).toBeNull();
    p.accept(page(0, 100, 250, 'c100'));
    expect(p.pageNumber).toBe(1);
    expect(p.pageCount).toBe(3);
    expect(p.hasPrev).toBe(false);
    expect(p.hasNext).toBe(true);
    expect(p.next()).toEqual({ cursor: 'c100' });
    expect(p.range).toEqual({ from: 1, to: 100, total: 250 });
  });

  it('goes back by the cursor it remembered, or by offset', () => {
    const p = new ResultPager(100);
    p.accept(page(0, 100, 250, 'c100'));
    p.accept(page(100, 100, 250, 'c200'));
    p.accept(page(200, 50, 250, null));
    expect(p.hasNext).toBe(false);
    expect(p.next()).toBeNull();
    expect(p.prev()).toEqual({ cursor: 'c100' });
    p.accept(page(100, 100, 250, 'c200'));
    expect(p.prev()).toEqual({ offset: 0 });
  });

  it('jumps by offset (or a known cursor), clamped to the pages that exist', () => {
    const p = new ResultPager(100);
    p.accept(page(0, 100, 1000, 'c100'));
    expect(p.jump(5)).toEqual({ offset: 400 });
    expect(p.jump(2)).toEqual({ cursor: 'c100' });
    expect(p.jump(99)).toEqual({ offset: 900 });
    expect(p.jump(0)).toEqual({ offset: 0 });
    expect(p.jump(Number.NaN)).toEqual({ offset: 0 });
    p.accept(page(700, 100, 1000, 'c800'));
    expect(p.pageNumber).toBe(8);
    expect(p.prev()).toEqual({ offset: 600 });
    expect(p.next()).toEqual({ cursor: 'c800' });
  });

  it('offers a next page only by the server\'s cursor, and goes back by offset once cursors were dropped', () => {
    const p = new ResultPager(100);
    p.accept(page(0, 100, 300, null));
    expect(p.hasNext).toBe(false);
    expect(p.next()).toBeNull();
    p.accept(page(100, 100, 300, 'c200'));
    p.dropCursors();
    p.accept(page(200, 100, 300, null));
    expect(p.prev()).toEqual({ offset: 100 });
  });

  it('handles an empty result', () => {
    const p = new ResultPager(100);
    p.accept(page(0, 0, 0, null));
    expect(p.pageCount).toBe(1);
    expect(p.range).toEqual({ from: 0, to: 0, total: 0 });
    expect(p.hasNext).toBe(false);
    expect(p.hasPrev).toBe(false);
  });

  it('forgets everything on reset and refuses a bad page size', () => {
    const p = new ResultPager(10);
    p.accept(page(0, 10, 20, 'c'));
    p.reset();
    expect(p.current).toBeNull();
    expect(p.jump(2)).toEqual({ offset: 10 });
    expect(() => new ResultPager(0)).toThrow();
  });

  it('follows the cursor through pages shorter than asked for (a byte bound), numbering them one by one', () => {
    const p = new ResultPager(100);
    p.accept(page(0, 40, 250, 'c40'));
    // The rest counted in pages like this one: 210 rows after it, 40 a page.
    expect(p.pageCount).toBe(7);
    expect(p.next()).toEqual({ cursor: 'c40' });
    p.accept(page(40, 7, 250, 'c47'));
    expect(p.pageNumber).toBe(2);
    expect(p.range).toEqual({ from: 41, to: 47, total: 250 });
    expect(p.next()).toEqual({ cursor: 'c47' });
    p.accept(page(47, 100, 250, 'c147'));
    expect(p.pageNumber).toBe(3);
    expect(p.pageCount).toBe(5);
    // Back to the page seen before, by its own cursor: not offset - page size.
    expect(p.prev()).toEqual({ cursor: 'c40' });
    p.accept(page(40, 7, 250, 'c47'));
    expect(p.pageNumber).toBe(2);
    expect(p.prev()).toEqual({ offset: 0 });
    expect(p.jump(3)).toEqual({ cursor: 'c47' });
  });

  it('ends where the server gives no cursor, even when the rows seem to go on', () => {
    const p = new ResultPager(100);
    p.accept(page(0, 60, 250, 'c60'));
    p.accept(page(60, 100, 250, null));
    expect(p.hasNext).toBe(false);
    expect(p.next()).toBeNull();
    expect(p.pageNumber).toBe(2);
    expect(p.pageCount).toBe(2);
  });
});
