import { NetworkError, NotFoundError } from '@kadapter/core';

/** A network failure worth retrying (connection refused or reset, body cut short, 5xx). */
export class TransientNetworkError extends NetworkError {}

/** What the resolve endpoint says about a file before any byte of it is fetched. */
export interface ResolvedFile {
  /** where the bytes are: the resolve URL itself, or the CDN URL it redirects to */
  downloadUrl: string;
  /** x-linked-etag (LFS files: their sha256) or etag, without quotes and W/ */
  etag?: string;
  /** x-repo-commit */
  commit?: string;
  /** x-linked-size or content-length */
  size?: number;
}

export interface RequestContext {
  /** what is being fetched, for error messages (`owner/name/file@revision`) */
  what: string;
  /** local path the file goes to, named in errors */
  file: string;
  token?: string;
}

const MAX_REDIRECTS = 10;
const USER_AGENT = 'kadapter-io';

/**
 * HEAD on the resolve URL, as huggingface_hub does: relative redirects (a renamed repo) are
 * followed, an absolute one (LFS files -> CDN) is not: its Location is the download URL and its
 * headers carry the metadata (x-linked-etag, x-linked-size, x-repo-commit).
 */
export async function resolveHubFile(url: string, ctx: RequestContext): Promise<ResolvedFile> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await send(current, 'HEAD', headers(ctx.token), ctx);
    const location = res.headers.get('location');
    if (isRedirect(res.status) && location) {
      const next = new URL(location, current).toString();
      if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(location)) {
        current = next;
        continue;
      }
      return metadata(res, next, true);
    }
    checkStatus(res, current, ctx);
    return metadata(res, current, false);
  }
  throw new NetworkError(`more than ${MAX_REDIRECTS} redirects for ${ctx.what}`, { file: ctx.file });
}

/**
 * GET (optionally a byte range) following redirects by hand so that the token is only ever sent
 * to `authOrigin` (the Hub endpoint), never to a CDN on another origin.
 */
export async function openDownload(
  url: string,
  ctx: RequestContext & { authOrigin: string; range?: number },
): Promise<Response> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sameOrigin = new URL(current).origin === ctx.authOrigin;
    const h = headers(sameOrigin ? ctx.token : undefined);
    if (ctx.range) h.range = `bytes=${ctx.range}-`;
    const res = await send(current, 'GET', h, ctx);
    const location = res.headers.get('location');
    if (isRedirect(res.status) && location) {
      await res.body?.cancel();
      current = new URL(location, current).toString();
      continue;
    }
    if (res.status !== 416) checkStatus(res, current, ctx);
    return res;
  }
  throw new NetworkError(`more than ${MAX_REDIRECTS} redirects for ${ctx.what}`, { file: ctx.file });
}

function headers(token: string | undefined): Record<string, string> {
  // identity: sizes and ranges must refer to the stored bytes, not to a compressed transfer
  const h: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': USER_AGENT };
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

async function send(url: string, method: string, h: Record<string, string>, ctx: RequestContext): Promise<Response> {
  try {
    return await fetch(url, { method, headers: h, redirect: 'manual' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new TransientNetworkError(
      `cannot reach ${new URL(url).origin} for ${ctx.what}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      { file: ctx.file, cause: err },
    );
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function checkStatus(res: Response, url: string, ctx: RequestContext): void {
  if (res.ok) return;
  void res.body?.cancel();
  const where = { file: ctx.file };
  if (res.status === 404) throw new NotFoundError(`${ctx.what} does not exist (HTTP 404 from ${url})`, where);
  if (res.status === 401 || res.status === 403) {
    throw new NetworkError(
      `${ctx.what}: HTTP ${res.status} from ${url}; a gated or private repo needs a token (option token or HF_TOKEN)`,
      where,
    );
  }
  const Err = res.status >= 500 || res.status === 429 ? TransientNetworkError : NetworkError;
  throw new Err(`${ctx.what}: HTTP ${res.status} ${res.statusText} from ${url}`, where);
}

/** Metadata from a resolve response; a redirect's own content-length is not the file's size. */
function metadata(res: Response, downloadUrl: string, redirected: boolean): ResolvedFile {
  const etag = normalizeEtag(res.headers.get('x-linked-etag') ?? res.headers.get('etag'));
  const commit = res.headers.get('x-repo-commit') ?? undefined;
  const sizeHeader = res.headers.get('x-linked-size') ?? (redirected ? null : res.headers.get('content-length'));
  const size = sizeHeader !== null && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : undefined;
  return {
    downloadUrl,
    ...(etag ? { etag } : {}),
    ...(commit ? { commit } : {}),
    ...(size !== undefined ? { size } : {}),
  };
}

function normalizeEtag(etag: string | null): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') || undefined;
}
