/**
 * gifenc, the same under Node and under vite: Node loads its CommonJS build (everything on `default`), vite its ESM
 * build (named exports; `default` is GIFEncoder alone).
 */
import * as ns from 'gifenc';
import type { GifencModule } from 'gifenc';

const mod: GifencModule = typeof ns.quantize === 'function' ? (ns as unknown as GifencModule) : (ns.default as GifencModule);

export const { GIFEncoder, quantize, applyPalette } = mod;
