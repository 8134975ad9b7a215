/** The shop commands, in help order. */
import type { AnyCommand } from '../types.js';
import { xpshopBackgrounds } from './backgrounds.js';
import { xpshopBuy } from './buy.js';
import { xpshopUse } from './use.js';
import { xpshopOwned } from './owned.js';
import { xpshopGive } from './give.js';
import { xpshopReload } from './reload.js';

export const shopCommands: AnyCommand[] = [xpshopBackgrounds, xpshopBuy, xpshopUse, xpshopOwned, xpshopGive, xpshopReload] as AnyCommand[];
