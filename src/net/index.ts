/** Safe image fetching (DESIGN §5) and the image cache in front of it. */
export { SafeFetcher, DEFAULT_SAFE_FETCH_OPTIONS, systemResolver, type SafeFetchOptions, type FetchedImage, type Resolver } from './safe-fetch.js';
export { SafeFetchError, type SafeFetchErrorCode } from './errors.js';
export { ImageCache, DEFAULT_IMAGE_CACHE_OPTIONS, smallDiscordImageUrl, type ImageCacheOptions } from './image-cache.js';
export { checkAddress } from './ip.js';
export { readImageInfo, sniffImageType, type ImageInfo, type ImageType } from './image-info.js';
