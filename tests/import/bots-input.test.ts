import { describe, expect, it } from 'vitest';
import { parseJson, quoteBigIntegers } from '../../src/import/bots/input.js';
import { ImportError } from '../../src/import/errors.js';

const file = (text: string) => ({ name: 'f.json', text, sqlite: false });

describe('reading JSON exports', () => {
  it('given ids as bare numbers above 2^53 then they arrive exactly, as strings', () => {
    const v = parseJson(file('{"roles": {"5": 2222222222222222223}, "ids": [9223372036854775807, -9007199254740993]}')) as Record<string, unknown>;
    expect(v).toEqual({ roles: { '5': '2222222222222222223' }, ids: ['9223372036854775807', '-9007199254740993'] });
    expect(String(JSON.parse('[2222222222222222223]')[0])).not.toBe('2222222222222222223'); // what a plain parse does
  });

  it('given digits inside strings, fractions, exponents and safe numbers then nothing is changed', () => {
    const text = '{"name": "id: 12345678901234567890", "f": 0.12345678901234567, "e": 1.5e300, "n": 4503599627370496, "esc": "a\\\\", "x": 1234567890123456789}';
    expect(quoteBigIntegers(text)).toBe(text.replace('1234567890123456789}', '"1234567890123456789"}'));
    expect(parseJson(file(text))).toMatchObject({ name: 'id: 12345678901234567890', f: 0.12345678901234567, n: 4503599627370496, x: '1234567890123456789' });
  });

  it('given a file cut short then it is refused as damaged JSON, naming the file', () => {
    expect(() => parseJson(file('{"players": [{"id": "1"'))).toThrow(ImportError);
    expect(() => parseJson(file('{"players": [{"id": "1"'))).toThrow(/f\.json is not valid JSON .*damaged or cut short/);
  });
});
