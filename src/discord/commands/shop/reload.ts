/** `xpshop reload` (bot owner): re-reads xp_config.yml; a broken file keeps the running config and says what is wrong. */
import { defineCommand } from '../types.js';
import { UserError } from '../errors.js';
import { formatIssue } from '../../../config/xp-config.js';

const MAX_LINES = 10;

export const xpshopReload = defineCommand({
  path: ['xpshop', 'reload'],
  description: 'Reload xp_config.yml (bot owner)',
  options: [] as const,
  example: {},
  permission: 'owner',
  guildOnly: false,
  async handler(ctx) {
    const r = await ctx.app.config.reload();
    if (!r.ok) {
      const issues = r.error.issues.slice(0, MAX_LINES).map((i) => `• ${formatIssue(i)}`);
      if (r.error.issues.length > MAX_LINES) issues.push(`• …and ${r.error.issues.length - MAX_LINES} more`);
      ctx.app.logger.warn({ issues: r.error.issues }, 'xp_config.yml reload refused');
      throw new UserError('invalid_state', `❌ ${r.error.file} was not reloaded; the running config is unchanged:\n${issues.join('\n')}`);
    }
    const bgs = [...r.config.shop.bgs.values()];
    const listed = bgs.filter((b) => !b.hidden && b.price >= 0).length;
    ctx.app.logger.info({ backgrounds: bgs.length }, 'xp_config.yml reloaded');
    // Every bot process serves some servers (DESIGN §12.2): the others read their file too.
    const others = await ctx.app.broadcast.toOthers('reloadConfig');
    const lines = [`✅ Reloaded xp_config.yml: ${bgs.length} backgrounds (${listed} for sale), currency ${r.config.currency.emoji} ${r.config.currency.name}, card template applied.`];
    if (others.of > 0) lines.push(`${others.failures.length === 0 ? '✅' : '⚠️'} Reloaded in ${others.reached + 1} of ${others.of + 1} bot processes.`);
    lines.push(...others.failures.slice(0, MAX_LINES).map((f) => `• ${f}`));
    return { content: lines.join('\n') };
  },
});
