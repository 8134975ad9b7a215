/**
 * The limits every image is held to before anything decodes it, wherever it comes from: a fetched URL or a file the
 * config points at (DESIGN §5). Header-level: type by magic bytes, a well-formed structure (every GIF frame inside
 * its screen), dimensions, pixels and frames.
 */
import { SafeFetchError } from './errors.js';
import { readImageInfo, type ImageInfo } from './image-info.js';

export interface ImageLimits {
  /** Largest file. Default 10 MiB. */
  maxBytes: number;
  /** Largest width or height. Default 4096. */
  maxDimension: number;
  /** Largest width × height of one frame. Default 4096 × 4096. */
  maxPixels: number;
  /** Most frames in an animation. Default 300. */
  maxFrames: number;
  /** Most frames × width × height in an animation (decompression bombs). Default 150 000 000. */
  maxAnimationPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = {
  maxBytes: 10 * 1024 * 1024,
  maxDimension: 4096,
  maxPixels: 4096 * 4096,
  maxFrames: 300,
  maxAnimationPixels: 150_000_000,
};

/** The image's type, size and frames; throws SafeFetchError when it is not an image or is over a limit. */
export function checkImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): ImageInfo {
  if (bytes.byteLength > limits.maxBytes) throw new SafeFetchError('too_large', { max: limits.maxBytes });
  const info = readImageInfo(bytes);
  if (!info) throw new SafeFetchError('not_image');
  const limit = `${limits.maxDimension} px a side, ${limits.maxPixels.toLocaleString('en-US')} pixels`;
  if (info.width <= 0 || info.height <= 0 || info.width > limits.maxDimension || info.height > limits.maxDimension || info.width * info.height > limits.maxPixels) {
    throw new SafeFetchError('image_too_large', { width: info.width, height: info.height, limit });
  }
  if (info.frames > limits.maxFrames) throw new SafeFetchError('too_many_frames', { frames: info.frames, max: limits.maxFrames });
  if (info.frames * info.width * info.height > limits.maxAnimationPixels) {
    throw new SafeFetchError('image_too_large', { width: info.width, height: info.height, limit: `${info.frames} frames of that size` });
  }
  return info;
}
