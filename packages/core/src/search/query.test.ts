import { describe, expect, it } from 'vitest';
import { QueryError, parseAge, parseQuery } from './query.js';

describe('case search query', () => {
  it('reads ages as ranges', () => {
    expect(parseAge('60+')).toEqual({ min: 60, max: null });
    expect(parseAge('18-35')).toEqual({ min: 18, max: 35 });
    expect(parseAge('-5')).toEqual({ min: null, max: 5 });
    expect(parseAge('<5')).toEqual({ min: null, max: 4 });
    expect(parseAge('42')).toEqual({ min: 42, max: 42 });
    expect(() => parseAge('old')).toThrow(QueryError);
    expect(() => parseAge('40-20')).toThrow(/backwards/);
  });

  it('separates name words from filters', () => {
    const q = parseQuery('bat erdene age:60+ sex:f area:"Баянзүрх дүүрэг" needs:heating,food reg:УК', ['needs']);
    expect(q.text).toBe('bat erdene');
    expect(q.age).toEqual({ min: 60, max: null });
    expect(q.sex).toBe('female');
    expect(q.areas).toEqual(['Баянзүрх дүүрэг']);
    expect(q.register).toBe('УК');
    expect(q.selects).toEqual([{ field: 'needs', values: ['heating', 'food'], mode: 'any' }]);
  });

  it('reads all-of selections and Mongolian filter names', () => {
    const q = parseQuery('нас:60+ хүйс:эм needs:heating+food', ['needs']);
    expect(q.selects[0]).toEqual({ field: 'needs', values: ['heating', 'food'], mode: 'all' });
    expect(q.sex).toBe('female');
    expect(q.age?.min).toBe(60);
  });

  it('refuses a filter it does not know rather than searching names with it', () => {
    expect(() => parseQuery('naeds:heating', ['needs'])).toThrow(/unknown filter "naeds:"/);
  });
});
