/**
 * `npm run bench [-- <filter>]`: runs every suite whose name contains the filter, prints the figures, and merges
 * them into bench/results.json (entries of suites that did not run are kept, so a subset run does not erase them).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import type { BenchSuite, Metric } from './harness.js';
import { suites } from './suites.js';

const filter = process.argv[2] ?? '';
const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));

const selected: BenchSuite[] = suites.filter((s) => s.name.includes(filter));
if (selected.length === 0) {
  console.error(`No benchmark matches "${filter}". Suites: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(1);
}

console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
const fresh: Metric[] = [];
for (const suite of selected) {
  console.log(`\n## ${suite.name}`);
  const metrics = await suite.run((line) => console.log(`  ${line}`));
  for (const m of metrics) console.log(`  ${m.name} = ${m.value} ${m.unit}`);
  fresh.push(...metrics);
}

const previous: Metric[] = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Metric[]) : [];
const byName = new Map(previous.map((m) => [m.name, m]));
for (const m of fresh) byName.set(m.name, m);
writeFileSync(resultsPath, JSON.stringify([...byName.values()], null, 2) + '\n');
console.log(`\nWrote ${fresh.length} figures to bench/results.json`);
