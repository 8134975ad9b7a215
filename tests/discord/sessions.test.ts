import { describe, expect, it } from 'vitest';
import { ButtonSessions, disableButtons, sessionButtonId } from '../../src/discord/sessions.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';

describe('button sessions', () => {
  it('given a press for a session this process does not know (a restart, a crash) then the answer says the buttons expired', async () => {
    const sessions = new ButtonSessions(new ManualScheduler(new ManualClock()));
    await expect(sessions.press(sessionButtonId('zz', 'next'), '1')).rejects.toMatchObject({ code: 'expired' });
  });

  it('given a timeout then the message is edited with every button disabled and its attachments kept', async () => {
    const clock = new ManualClock();
    const scheduler = new ManualScheduler(clock);
    const sessions = new ButtonSessions(scheduler, 1000);
    const edits: unknown[] = [];
    const id = sessions.reserve();
    const payload = { content: 'x', files: [{ name: 'a.png', data: Buffer.from('x') }], components: [{ type: 1 as const, components: [{ type: 2 as const, style: 2 as const, custom_id: sessionButtonId(id, 'next'), label: '▶' }] }] };
    sessions.open(id, { invokerId: '1', current: () => payload, press: async () => payload }, async (p) => void edits.push(p));
    await scheduler.advance(1000);
    expect(edits).toEqual([disableButtons(payload)]);
    expect(disableButtons(payload).files).toBeUndefined();
    expect(sessions.size).toBe(0);
  });
});
