/** Every benchmark suite, in the order `npm run bench` runs them. Add a suite here when you add a bench file. */
import type { BenchSuite } from './harness.js';
import { engineSuite } from './engine.js';
import { antispamSuite } from './antispam.js';
import { xpEventsSuite } from './xp-events.js';
import { botSuite } from './bot.js';
import { cardsSuite } from './cards.js';
import { importSuite } from './import.js';
import { importMee6Suite } from './import-mee6.js';
import { shardsSuite } from './shards.js';
import { roleSyncSuite } from './rolesync.js';
import { pgSuite } from './pg.js';
import { pgImportSuite } from './pg-import.js';
import { webSuite } from './web.js';
import { seasonsSuite } from './seasons.js';
import { historySuite } from './history.js';
import { decaySuite } from './decay.js';

export const suites: BenchSuite[] = [
  engineSuite,
  antispamSuite,
  xpEventsSuite,
  botSuite,
  cardsSuite,
  importSuite,
  importMee6Suite,
  shardsSuite,
  roleSyncSuite,
  pgSuite,
  pgImportSuite,
  webSuite,
  seasonsSuite,
  historySuite,
  decaySuite,
];
