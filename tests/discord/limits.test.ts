/** Fitting text into Discord's limits without breaking it: emoji, mentions, lists, embeds. */
import { describe, expect, it } from 'vitest';
import { fitEmbeds, fitLines, fitText, LIMITS } from '../../src/discord/limits.js';
import { PLACEHOLDER_MAX_LENGTH, composeAnnouncement, worstCaseLength } from '../../src/discord/announcement.js';

describe('fitText', () => {
  it('given short text then it is unchanged', () => {
    expect(fitText('hello', 5)).toBe('hello');
  });

  it('given a cut through an emoji then the whole emoji goes (no lone surrogate)', () => {
    const out = fitText(`${'a'.repeat(8)}🦄🦄`, 10);
    expect(out).toBe(`${'a'.repeat(8)}…`);
    expect(out.length).toBeLessThanOrEqual(10);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(out)).toBe(false);
  });

  it('given a cut through a mention then the whole mention goes', () => {
    const out = fitText('hi <@123456789012345678> there', 12);
    expect(out).toBe('hi…');
  });
});

describe('fitLines', () => {
  it('given more lines than fit then it lists what fits and counts the rest', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `Level ${i}: give <@&${'1'.repeat(18)}>`);
    const out = fitLines(lines, 1024);
    expect(out.length).toBeLessThanOrEqual(1024);
    expect(out).toMatch(/\n… and \d+ more$/);
    const shown = out.split('\n').length - 1;
    expect(out).toContain(`… and ${100 - shown} more`);
  });

  it('given a separator then items are joined by it', () => {
    expect(fitLines(['a', 'b', 'c'], 100, ', ')).toBe('a, b, c');
    expect(fitLines(['aaaa', 'bbbb', 'cccc'], 18, ', ')).toBe('aaaa, … and 2 more');
    expect(fitLines(['aaaa', 'bbbb', 'cccc'], 16, ', ')).toBe('… and 3 more');
  });
});

describe('fitEmbeds', () => {
  it('given embeds over every limit then each part and the total fit', () => {
    const long = 'x'.repeat(5000);
    const [e] = fitEmbeds([{ title: long, description: long, footer: { text: long }, fields: Array.from({ length: 30 }, () => ({ name: long, value: long })) }]);
    expect(e!.title!.length).toBeLessThanOrEqual(LIMITS.title);
    expect(e!.fields).toHaveLength(25);
    for (const f of e!.fields!) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    const total = e!.title!.length + e!.description!.length + e!.footer!.text.length + e!.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
  });
});

describe('announcement templates', () => {
  it('given {user} 250 times then the worst case is 250 mentions of the longest id', () => {
    expect(worstCaseLength('{user}'.repeat(250))).toBe(250 * PLACEHOLDER_MAX_LENGTH['{user}']);
    expect(worstCaseLength('Hi {guild}!')).toBe(4 + 100);
  });

  it('given a filled text over the limit then the message still fits, with the reward line kept', () => {
    const out = composeAnnouncement('x'.repeat(3000), 'Roles gained: Expert', 'A server');
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.startsWith('**A server**: ')).toBe(true);
    expect(out.endsWith('\n-# Roles gained: Expert')).toBe(true);
  });
});
