/**
 * Snowflake ids shaped like Discord's: `(ms since the Discord epoch) << 22 | worker/process bits | increment`.
 * Real-looking ids matter: they are numeric strings far above 2^53, so any code that turns one into a JS number
 * loses digits and the bot's tests catch it; discord.js also derives `createdAt` from them.
 */

/** 2015-01-01T00:00:00Z, the epoch Discord counts snowflake timestamps from. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

const MAX_INCREMENT = 4095n;

export class SnowflakeGenerator {
  private lastMs = 0n;
  private increment = 0n;

  /** @param now wall-clock milliseconds; injected so a fixed clock gives the same ids on every run */
  constructor(private readonly now: () => number) {}

  next(): string {
    let ms = BigInt(Math.floor(this.now()));
    // Ids must be strictly increasing even when the (possibly frozen) clock does not move: reuse the last
    // millisecond and count up, borrowing the next millisecond when its 12-bit increment runs out.
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      this.increment += 1n;
      if (this.increment > MAX_INCREMENT) {
        ms += 1n;
        this.increment = 0n;
      }
    } else {
      this.increment = 0n;
    }
    this.lastMs = ms;
    return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.increment).toString();
  }

  /**
   * The next id whose timestamp part (`id >> 22`) satisfies `accept`, moving the generator's millisecond forward
   * as far as needed. Discord routes a guild to shard `(id >> 22) % count`, so tests place guilds on a shard.
   */
  nextWithTimestamp(accept: (timestamp: bigint) => boolean): string {
    let id = BigInt(this.next());
    while (!accept(id >> 22n)) {
      this.lastMs += 1n;
      this.increment = 0n;
      id = ((this.lastMs - DISCORD_EPOCH) << 22n) | (1n << 17n);
    }
    return id.toString();
  }
}
