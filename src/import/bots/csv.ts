/**
 * CSV, for any other bot: `guild_id,user_id,xp` or `guild_id,user_id,xp,level`, one member a line, an optional
 * header line with those names. A file whose lines do not all have the same 3 or 4 fields is refused with the line
 * number; a line whose values are not ids or whole numbers is skipped with why. Without a curve to go by, a member
 * who keeps their level starts at the beginning of it.
 */
import { z } from 'zod';
import { toSnowflake } from '../../storage/ids.js';
import { emptyExport, type BotSource, type InputFile } from './shape.js';
import { member, SKIPS } from './values.js';

const HEADERS = ['guild_id,user_id,xp', 'guild_id,user_id,xp,level'];
const WHOLE = /^\d{1,16}$/;

interface CsvTable {
  hasLevel: boolean;
  rows: string[][];
}

const Table = z.string().transform((text, ctx): CsvTable => {
  const lines = text.split(/\r?\n/);
  const rows: string[][] = [];
  let width = 0;
  let hasHeader = false;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const fields = line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1').trim());
    if (width === 0) {
      width = fields.length;
      hasHeader = !/^\d+$/.test(fields[0]!);
      if (hasHeader && !HEADERS.includes(fields.join(',').toLowerCase())) {
        ctx.addIssue({ code: 'custom', message: `line ${i + 1}: the header must be ${HEADERS.join(' or ')}` });
        return z.NEVER;
      }
      if (width < 3 || width > 4) {
        ctx.addIssue({ code: 'custom', message: `line ${i + 1} has ${fields.length} fields` });
        return z.NEVER;
      }
      if (hasHeader) continue;
    } else if (fields.length !== width) {
      ctx.addIssue({ code: 'custom', message: `line ${i + 1} has ${fields.length} fields where the first line has ${width}` });
      return z.NEVER;
    }
    rows.push(fields);
  }
  if (width === 0) {
    ctx.addIssue({ code: 'custom', message: 'the file is empty' });
    return z.NEVER;
  }
  return { hasLevel: width === 4, rows };
});

export const csv: BotSource = {
  name: 'csv',
  label: 'CSV',
  describes: 'a CSV file of guild_id,user_id,xp[,level] lines',
  extension: 'csv',
  schema: Table,
  looksLike: (v) => typeof v === 'string' && /^\s*("?[\w]+"?\s*,\s*){2,3}"?[\w]+"?\s*(\r?\n|$)/.test(v),
  parser() {
    const out = emptyExport();
    const add = (file: InputFile) => {
      const table = file.value as CsvTable;
      out.hasLevels &&= table.hasLevel;
      for (const [g, u, xp, level] of table.rows) {
        const guildId = toSnowflake(g);
        if (guildId === null) out.members.push({ skip: SKIPS.guild });
        else if (!WHOLE.test(xp!)) out.members.push({ skip: SKIPS.xp });
        else if (level !== undefined && level !== '' && !WHOLE.test(level)) out.members.push({ skip: SKIPS.level });
        else out.members.push(member(guildId, u, Number(xp), level ? Number(level) : null, null));
      }
    };
    return { add, finish: () => out };
  },
};
