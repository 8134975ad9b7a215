/** Every benchmark suite, in the order `npm run bench` runs them. Add a suite here when you add a bench file. */
import type { BenchSuite } from './harness.js';
import { cardsSuite } from './cards.js';

export const suites: BenchSuite[] = [cardsSuite];
