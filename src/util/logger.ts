/**
 * The process logger. pino gives structured, leveled, cheap logging (JSON lines, which log shippers read), so we
 * do not hand-roll one. Every module takes a `Logger` through its context instead of importing this singleton,
 * so tests can pass a silent or recording logger.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error' | 'child'>;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: undefined });
}

/** A logger that drops everything: the default in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
