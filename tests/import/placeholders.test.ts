import { describe, expect, it } from 'vitest';
import { translateNadekoMessage } from '../../src/import/placeholders.js';

describe('Nadeko level-up message → Unicornia template', () => {
  it.each([
    ['%user.mention% reached level %event.level%!', '{user} reached level {level}!', []],
    ['GG %event.user% (%user.name%, %user.fullname%) — lvl %xp.level% on %server.name%', 'GG {username} ({username}, {username}) — lvl {level} on {guild}', []],
    ['%USER.MENTION% is %xp.rank% of %server.members%', '{user} is %xp.rank% of %server.members%', ['%xp.rank%', '%server.members%']],
    ['no placeholders at all', 'no placeholders at all', []],
    ['100% sure, 50% done', '100% sure, 50% done', []],
  ])('given %j then the template is %j', (message, template, untranslated) => {
    expect(translateNadekoMessage(message)).toEqual({ template, untranslated, flattened: false });
  });

  it('given an embed (SmartText JSON) then its text parts are kept and translated', () => {
    const msg = JSON.stringify({ plainText: '%user.mention%', embeds: [{ title: 'Level up!', description: 'Now level %event.level%', color: 123 }] });
    expect(translateNadekoMessage(msg)).toEqual({ template: '{user}\nLevel up!\nNow level {level}', untranslated: [], flattened: true });
  });

  it('given an old single-embed message then its description is kept', () => {
    expect(translateNadekoMessage('{"description": "%user.mention% levelled up"}').template).toBe('{user} levelled up');
  });

  it('given an empty message or an embed without text then there is no template', () => {
    expect(translateNadekoMessage('   ').template).toBeNull();
    expect(translateNadekoMessage('{"color": 5}')).toEqual({ template: null, untranslated: [], flattened: true });
  });

  it('given text that only looks like JSON then it is kept as text', () => {
    expect(translateNadekoMessage('{not json} %user.mention%').template).toBe('{not json} {user}');
  });
});
