/**
 * API keys (DESIGN §14.3): `unk_` and 192 random bits, stored and looked up as their SHA-256. A slow password
 * hash is for guessable secrets; a random key this long cannot be guessed, and a fast hash keeps the lookup cheap.
 */
import { createHash } from 'node:crypto';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
