/** Errors of safe image fetching: a code for programs and one table of human messages. */

export type SafeFetchErrorCode =
  | 'invalid_url'
  | 'scheme'
  | 'credentials'
  | 'port'
  | 'blocked_address'
  | 'dns'
  | 'too_many_redirects'
  | 'bad_redirect'
  | 'timeout'
  | 'connect'
  | 'status'
  | 'too_large'
  | 'not_image'
  | 'image_too_large'
  | 'too_many_frames';

type Params = Record<string, string | number>;

const MESSAGES: Record<SafeFetchErrorCode, (p: Params) => string> = {
  invalid_url: () => 'the link is not a valid URL',
  scheme: (p) => `only http and https links are allowed, not ${p.scheme}`,
  credentials: () => 'links with a user name or password are not allowed',
  port: (p) => `port ${p.port} is not allowed`,
  blocked_address: (p) => `the address ${p.address} is ${p.description}`,
  dns: (p) => `the host ${p.host} could not be resolved`,
  too_many_redirects: (p) => `too many redirects (more than ${p.max})`,
  bad_redirect: () => 'the server redirected without a valid Location',
  timeout: (p) => `the server took too long (${p.what})`,
  connect: (p) => `could not connect to ${p.host}`,
  status: (p) => `the server answered HTTP ${p.status}`,
  too_large: (p) => `the file is larger than ${p.max} bytes`,
  not_image: () => 'the file is not a PNG, JPEG, GIF or WebP image',
  image_too_large: (p) => `the image is ${p.width}×${p.height}, larger than allowed (${p.limit})`,
  too_many_frames: (p) => `the animation has ${p.frames} frames, more than ${p.max}`,
};

export class SafeFetchError extends Error {
  constructor(
    readonly code: SafeFetchErrorCode,
    readonly params: Params = {},
    options?: { cause?: unknown },
  ) {
    super(MESSAGES[code](params), options);
    this.name = 'SafeFetchError';
  }
}
