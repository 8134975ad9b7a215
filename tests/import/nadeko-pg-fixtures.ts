/**
 * The SQLite Nadeko fixtures (nadeko-fixtures.ts) rebuilt on PostgreSQL as NadekoBot's PostgreSQL context creates
 * its tables: EF Core with Npgsql and `UseLowerCaseNamingConvention()`, so every table and column name is lower
 * case (the migrations history table keeps its quoted name `__EFMigrationsHistory`, with lower-case columns), and
 * the CLR types map to Npgsql's defaults. Checked against Nadeko 6's PostgreSQL "init" migration: ulong →
 * numeric(20,0), long → bigint, int and enums → integer, bool → boolean, DateTime → timestamp without time zone,
 * float → real, string → text. The values are copied as they are, ids above 2^53 included.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

/** Discord ids (ulong in Nadeko's model). ClubApplicants/ClubBans.UserId are DiscordUser row ids (int), not these. */
const ULONG = new Set(['userid', 'guildid', 'roleid', 'channelid', 'itemid']);
const LONG = new Set(['discorduser.totalxp', 'discorduser.currencyamount', 'userxpstats.xp', 'userxpstats.awardedxp']);
const BOOL = new Set(['isclubadmin', 'remove', 'isusing', 'serverexcluded']);
const DATES = new Set(['dateadded', 'lastlevelup', 'lastxpgain']);

function pgType(table: string, column: string, sqliteType: string): string {
  const t = table.toLowerCase();
  const c = column.toLowerCase();
  if (ULONG.has(c) && !(c === 'userid' && (t === 'clubapplicants' || t === 'clubbans'))) return 'numeric(20,0)';
  if (LONG.has(`${t}.${c}`)) return 'bigint';
  if (BOOL.has(c)) return 'boolean';
  if (DATES.has(c)) return 'timestamp without time zone';
  if (sqliteType === 'REAL') return 'real';
  if (sqliteType === 'INTEGER') return 'integer';
  return 'text';
}

/** Creates NadekoBot's tables of the SQLite fixture at `sqlitePath` in the (empty) PostgreSQL database at `url`. */
export async function copyToPostgres(sqlitePath: string, url: string): Promise<void> {
  const src = new Database(sqlitePath, { readonly: true });
  src.defaultSafeIntegers(true);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = src.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    for (const table of tables) {
      const name = table === '__EFMigrationsHistory' ? '"__EFMigrationsHistory"' : table.toLowerCase();
      const cols = src.prepare('SELECT name, type, "notnull" FROM pragma_table_info(?)').all(table) as { name: string; type: string; notnull: bigint }[];
      const types = cols.map((c) => pgType(table, c.name, c.type));
      await client.query(
        `CREATE TABLE ${name} (${cols.map((c, i) => `${c.name.toLowerCase()} ${types[i]}${c.notnull ? ' NOT NULL' : ''}`).join(', ')})`,
      );
      const insert = `INSERT INTO ${name} VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
      for (const row of src.prepare(`SELECT * FROM "${table}"`).raw(true).all() as unknown[][]) {
        await client.query(insert, row.map((v, i) => (types[i] === 'boolean' && v !== null ? v !== 0n : typeof v === 'bigint' ? v.toString() : v)));
      }
    }
  } finally {
    src.close();
    await client.end();
  }
}
