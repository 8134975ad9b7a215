/**
 * Amari: the JSON pages of its guild leaderboard API (`amaribot.com/api/v1/guild/leaderboard/<guild>`), one file
 * or a folder of pages: `{ count, total_count, data: [{ id, username, exp, level, weeklyExp }] }`. The pages do
 * not name the server (`--guild` does), and Amari's curve is not public, so a member keeping their level starts
 * at the beginning of it.
 */
import { z } from 'zod';
import { ImportError } from '../errors.js';
import { addNotImported, emptyExport, type BotSource, type InputFile } from './shape.js';
import { Count, Id, isObject, member } from './values.js';

const Page = z.object({
  data: z.array(z.object({ id: Id, exp: Count, level: Count, weeklyExp: Count.optional() })),
  count: Count.optional(),
  total_count: Count.optional(),
});

export const amari: BotSource = {
  name: 'amari',
  label: 'Amari',
  describes: 'an Amari leaderboard page (JSON of amaribot.com/api/v1/guild/leaderboard/<server id>)',
  extension: 'json',
  schema: Page,
  looksLike: (v) => isObject(v) && Array.isArray(v['data']) && ('total_count' in v || 'count' in v),
  parser(ctx) {
    const out = emptyExport();
    let weekly = 0;
    const add = (file: InputFile) => {
      if (ctx.guildId === null) throw new ImportError('needs_guild', `${file.name} (an Amari page)`);
      for (const m of (file.value as z.infer<typeof Page>).data) {
        out.members.push(member(ctx.guildId, m.id, m.exp, m.level, null));
        if ((m.weeklyExp ?? 0) > 0) weekly++;
      }
    };
    const finish = () => {
      addNotImported(out, 'weekly XP (data[].weeklyExp)', weekly, 'Unicornia keeps no weekly totals');
      if (out.members.length > 0) out.notes.push("Amari's level curve is not public: with --keep level a member starts at the beginning of their level");
      return out;
    };
    return { add, finish };
  },
};
