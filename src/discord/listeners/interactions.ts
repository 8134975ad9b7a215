/** interactionCreate: slash commands and button presses. */
import { MessageFlags, type Client, type Interaction } from 'discord.js';
import type { AppContext } from '../../app.js';
import { slashArgs, slashContext } from '../contexts.js';
import { SLASH } from '../commands/registry.js';
import { runCommand } from '../invoke.js';
import { SESSION_PREFIX } from '../sessions.js';
import { GENERIC_FAILURE, UserError, userMessage } from '../commands/errors.js';
import { toMessageOptions } from '../payload.js';
import { RESTARTING } from '../command-gate.js';

export function onInteraction(_client: Client, app: AppContext): (i: Interaction) => void {
  return (i) => {
    if (i.isChatInputCommand()) {
      const path = [i.commandName, i.options.getSubcommandGroup(false), i.options.getSubcommand(false)].filter((w): w is string => !!w);
      const command = app.registry.byFullPath(path);
      if (!command) {
        void i.reply({ content: 'That command no longer exists here.', flags: MessageFlags.Ephemeral }).catch(() => {});
        return;
      }
      const ctx = slashContext(app, i);
      void runCommand(command, ctx, async () => slashArgs(command, i, SLASH));
      return;
    }
    if (i.isButton() && i.customId.startsWith(SESSION_PREFIX)) {
      if (!app.gate.isOpen) {
        void app.gate.track(i.reply({ content: RESTARTING, flags: MessageFlags.Ephemeral }).catch(() => {}));
        return;
      }
      void app.gate.track((async () => {
        try {
          const payload = await app.sessions.press(i.customId, i.user.id);
          await i.update(toMessageOptions(payload));
        } catch (error) {
          const content = error instanceof UserError ? userMessage(error) : GENERIC_FAILURE;
          if (!(error instanceof UserError)) app.logger.error({ err: error }, 'button press failed');
          await i.reply({ content, flags: MessageFlags.Ephemeral }).catch(() => {});
        }
      })());
    }
  };
}
