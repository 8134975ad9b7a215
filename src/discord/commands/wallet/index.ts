/** The wallet commands, in help order. */
import type { AnyCommand } from '../types.js';
import { balance } from './balance.js';
import { walletGive, walletTake } from './adjust.js';
import { walletHistory } from './history.js';

export const walletCommands: AnyCommand[] = [balance, walletGive, walletTake, walletHistory] as AnyCommand[];
