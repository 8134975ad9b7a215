/**
 * PNG encoding of finished cards and charts. Skia's encoder spends ~25 ms on a 500×245 photographic card (every filter
 * tried at zlib's default level), and a zlib Huffman-only encoder of our own still took ~15 ms at the default 2× scale
 * (1000×490): most of a 15 ms budget. @napi-rs/image's "fast" PNG compression (the `png` crate's fdeflate, a deflate
 * made for filtered image rows: run-length matches and a fixed code) with the Sub filter encodes the same card in
 * ~3 ms, lossless, at about the size of the Huffman-only one (bench/cards.ts prints the comparison with Skia).
 */
import { CompressionType, FilterType, Transformer } from '@napi-rs/image';

/** Encode straight (not premultiplied) RGBA pixels, `width * height * 4` bytes as `getImageData` gives them, as PNG. */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Buffer {
  return Transformer.fromRgbaPixels(rgba, width, height).pngSync({ compressionType: CompressionType.Fast, filterType: FilterType.Sub });
}
