// Types for the parts of gifenc (MIT, pure JS, no dependencies) that the card renderer uses.
declare module 'gifenc' {
  export type Palette = number[][];
  export type PaletteFormat = 'rgb565' | 'rgb444' | 'rgba4444';
  export interface QuantizeOptions {
    format?: PaletteFormat;
    oneBitAlpha?: boolean | number;
    clearAlpha?: boolean;
    clearAlphaThreshold?: number;
    clearAlphaColor?: number;
  }
  export interface WriteFrameOptions {
    palette?: Palette;
    /** Milliseconds; written as centiseconds (rounded). */
    delay?: number;
    transparent?: boolean;
    transparentIndex?: number;
    repeat?: number;
    dispose?: number;
    first?: boolean;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: WriteFrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
    reset(): void;
  }
  interface GifencModule {
    GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): Encoder;
    quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: QuantizeOptions): Palette;
    applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: PaletteFormat): Uint8Array;
  }
  const gifenc: GifencModule;
  export default gifenc;
  // Named exports exist in the ESM build (what vite loads); Node loads the CJS build, which only has `default`.
  export const GIFEncoder: GifencModule['GIFEncoder'] | undefined;
  export const quantize: GifencModule['quantize'] | undefined;
  export const applyPalette: GifencModule['applyPalette'] | undefined;
  export type { GifencModule };
}
