/**
 * Command registration refuses what Discord refuses, with Discord's error body: each limit is tried exactly at
 * the limit (accepted) and one past it (refused with code 50035 and the bad field's path, or 30032 for the count).
 */
import { DiscordAPIError, Routes, type RESTPostAPIChatInputApplicationCommandsJSONBody as Body } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type World, world } from './support.js';

type Json = Record<string, unknown>;

const opt = (name: string, extra: Json = {}): Json => ({ type: 3, name, description: 'text', ...extra });
const sub = (name: string, options: Json[] = []): Json => ({ type: 1, name, description: 'sub', options });
const group = (name: string, options: Json[]): Json => ({ type: 2, name, description: 'group', options });
const cmd = (name: string, options: Json[] = [], extra: Json = {}): Json => ({ name, description: 'cmd', options, ...extra });

describe('given the simulator command registration route', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w.teardown();
  });

  const put = (body: Json[]) => w.client.rest.put(Routes.applicationCommands(w.client.application!.id), { body: body as unknown as Body[] });
  const refusal = async (body: Json[]): Promise<{ code: number; errors: unknown }> => {
    const error = await put(body).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DiscordAPIError);
    const raw = (error as DiscordAPIError).rawError as { code: number; errors?: unknown };
    return { code: raw.code, errors: raw.errors };
  };
  /** The `_errors` entry's code at a path of the errors tree. */
  const codeAt = (errors: unknown, path: (string | number)[]): string | undefined => {
    const leaf = path.reduce<unknown>((node, key) => (node as Json | undefined)?.[String(key)], errors) as { _errors?: { code: string }[] } | undefined;
    return leaf?._errors?.[0]?.code;
  };

  it('when names break the rules, then 50035 names the field (invalid name, upper case, 33 characters)', async () => {
    for (const name of ['has space', 'Upper', 'x'.repeat(33), '']) {
      const r = await refusal([cmd('ok'), cmd(name)]);
      expect(r.code, name).toBe(50035);
      expect(codeAt(r.errors, [1, 'name']), name).toBe('APPLICATION_COMMAND_INVALID_NAME');
    }
    const r = await refusal([cmd('ok', [sub('Bad')])]);
    expect(codeAt(r.errors, [0, 'options', 0, 'name'])).toBe('APPLICATION_COMMAND_INVALID_NAME');
    await expect(put([cmd('x'.repeat(32)), cmd('stufe-ü_1')])).resolves.toBeTruthy();
  });

  it('when a description is empty or over 100 characters, then it is refused; 100 is accepted', async () => {
    expect(codeAt((await refusal([cmd('a', [], { description: 'x'.repeat(101) })])).errors, [0, 'description'])).toBe('BASE_TYPE_BAD_LENGTH');
    expect(codeAt((await refusal([cmd('a', [opt('o', { description: '' })])])).errors, [0, 'options', 0, 'description'])).toBe('BASE_TYPE_BAD_LENGTH');
    await expect(put([cmd('a', [opt('o', { description: 'x'.repeat(100) })], { description: 'x'.repeat(100) })])).resolves.toBeTruthy();
  });

  it('when a level holds 26 options, subcommands or groups, then it is refused; 25 are accepted', async () => {
    const many = (n: number, make: (name: string) => Json) => Array.from({ length: n }, (_, i) => make(`o${i}`));
    expect(codeAt((await refusal([cmd('a', many(26, (n) => opt(n)))])).errors, [0, 'options'])).toBe('BASE_TYPE_MAX_LENGTH');
    expect(codeAt((await refusal([cmd('a', many(26, (n) => sub(n)))])).errors, [0, 'options'])).toBe('BASE_TYPE_MAX_LENGTH');
    expect(codeAt((await refusal([cmd('a', [group('g', many(26, (n) => sub(n)))])])).errors, [0, 'options', 0, 'options'])).toBe('BASE_TYPE_MAX_LENGTH');
    expect(codeAt((await refusal([cmd('a', [sub('s', many(26, (n) => opt(n)))])])).errors, [0, 'options', 0, 'options'])).toBe('BASE_TYPE_MAX_LENGTH');
    await expect(put([cmd('a', many(25, (n) => group(n, many(25, (m) => sub(m)))))])).resolves.toBeTruthy();
  });

  it('when choices are too many or too long, then they are refused; 25 choices of 100 characters are accepted', async () => {
    const choices = (n: number, len = 1) => Array.from({ length: n }, (_, i) => ({ name: `${i}`.padEnd(len, 'x'), value: `${i}`.padEnd(len, 'x') }));
    expect(codeAt((await refusal([cmd('a', [opt('o', { choices: choices(26) })])])).errors, [0, 'options', 0, 'choices'])).toBe('BASE_TYPE_MAX_LENGTH');
    expect(codeAt((await refusal([cmd('a', [opt('o', { choices: [{ name: 'x'.repeat(101), value: 'v' }] })])])).errors, [0, 'options', 0, 'choices', 0, 'name'])).toBe('BASE_TYPE_BAD_LENGTH');
    expect(codeAt((await refusal([cmd('a', [opt('o', { choices: [{ name: 'n', value: 'x'.repeat(101) }] })])])).errors, [0, 'options', 0, 'choices', 0, 'value'])).toBe('BASE_TYPE_BAD_LENGTH');
    await expect(put([cmd('a', [opt('o', { choices: choices(25, 100) })], { description: 'c' })])).resolves.toBeTruthy();
  });

  it('when subcommands nest too deep or mix with options, then it is refused', async () => {
    const deep = await refusal([cmd('a', [group('g', [group('h', [sub('s')])])])]);
    expect(codeAt(deep.errors, [0, 'options', 0, 'options', 0, 'type'])).toBe('APPLICATION_COMMAND_OPTIONS_TYPE_INVALID');
    const inSub = await refusal([cmd('a', [sub('s', [sub('t')])])]);
    expect(codeAt(inSub.errors, [0, 'options', 0, 'options', 0, 'type'])).toBe('APPLICATION_COMMAND_OPTIONS_TYPE_INVALID');
    const mixed = await refusal([cmd('a', [sub('s'), opt('o')])]);
    expect(codeAt(mixed.errors, [0, 'options'])).toBe('APPLICATION_COMMAND_OPTIONS_TYPE_INVALID');
    const optionInGroup = await refusal([cmd('a', [group('g', [opt('o')])])]);
    expect(codeAt(optionInGroup.errors, [0, 'options', 0, 'options'])).toBeUndefined();
    expect(codeAt(optionInGroup.errors, [0, 'options', 0, 'options', 0, 'type'])).toBe('APPLICATION_COMMAND_OPTIONS_TYPE_INVALID');
    await expect(put([cmd('a', [group('g', [sub('s', [opt('o')])]), sub('t')])])).resolves.toBeTruthy();
  });

  it('when required options follow optional ones or names repeat, then it is refused', async () => {
    const order = await refusal([cmd('a', [opt('x'), opt('y', { required: true })])]);
    expect(codeAt(order.errors, [0, 'options', 1, 'required'])).toBe('APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID');
    const twice = await refusal([cmd('a', [opt('x'), opt('x')])]);
    expect(codeAt(twice.errors, [0, 'options', 1, 'name'])).toBe('APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS');
    const names = await refusal([cmd('a'), cmd('a')]);
    expect(codeAt(names.errors, [1, 'name'])).toBe('APPLICATION_COMMANDS_DUPLICATE_NAME');
  });

  it('when string lengths are out of 0–6000, then they are refused', async () => {
    expect(codeAt((await refusal([cmd('a', [opt('o', { max_length: 6001 })])])).errors, [0, 'options', 0, 'max_length'])).toBe('NUMBER_TYPE_MAX');
    expect(codeAt((await refusal([cmd('a', [opt('o', { max_length: 0 })])])).errors, [0, 'options', 0, 'max_length'])).toBe('NUMBER_TYPE_MIN');
    await expect(put([cmd('a', [opt('o', { min_length: 0, max_length: 6000 })])])).resolves.toBeTruthy();
  });

  it('when a command passes 8 000 characters of names, descriptions and choices, then it is refused; 8 000 is accepted', async () => {
    // 25 subcommands × (name 4 + description 100) × ... built up to an exact total.
    const subs = (extra: number) =>
      Array.from({ length: 25 }, (_, i) => ({ ...sub(`s${String(i).padStart(2, '0')}`), description: 'd'.repeat(100), options: [opt('o', { description: 'e'.repeat(100), choices: [{ name: 'c'.repeat(100), value: 'v'.repeat(i < extra ? 13 : 12) }] })] }));
    // Each subcommand: 3 + 100 + (1 + 100 + 100 + 12) = 316, × 25 = 7 900; the command: 1 + 99 = 100 → 8 000.
    const exact = cmd('a', subs(0), { description: 'x'.repeat(99) });
    await expect(put([exact])).resolves.toBeTruthy();
    const over = await refusal([cmd('a', subs(1), { description: 'x'.repeat(99) })]);
    expect(over.code).toBe(50035);
    expect(codeAt(over.errors, [0])).toBe('APPLICATION_COMMAND_TOO_LARGE');
  });

  it('when a scope would hold 101 chat-input commands, then 30032 refuses it; 100 are accepted', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => cmd(`c${i}`));
    await expect(put(many(100))).resolves.toBeTruthy();
    expect((await refusal(many(101))).code).toBe(30032);
    const post = await w.client.rest.post(Routes.applicationCommands(w.client.application!.id), { body: cmd('one-more') }).then(
      () => null,
      (e: unknown) => e as DiscordAPIError,
    );
    expect(post?.code).toBe(30032);
  });
});
