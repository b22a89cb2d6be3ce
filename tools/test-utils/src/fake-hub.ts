import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request either server saw. */
export interface SeenRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

export interface HubEntry {
  body: Buffer;
  /** served like a Hub LFS file: the resolve URL redirects to the CDN with x-linked-etag = sha256 */
  lfs?: boolean;
  /** advertised sha256 etag (default: the real one) */
  etag?: string;
  /** the commit the file's revision resolves to (x-repo-commit; default HUB_COMMIT) */
  commit?: string;
}

/** The commit every revision of the fake hub resolves to unless an entry says otherwise. */
export const HUB_COMMIT = '0123456789abcdef0123456789abcdef01234567';

/**
 * Two real HTTP servers on 127.0.0.1 (so that the CDN is another origin), behaving like the
 * Hugging Face Hub for `/<repo>/resolve/<revision>/<file>`: regular files answer 200 with an etag,
 * LFS files redirect to the CDN with x-linked-etag/x-linked-size/x-repo-commit, `old/<name>`
 * redirects relatively to `org/<name>` (a renamed repo), unknown files are 404 (with the
 * x-repo-commit of the revision when the repo has it). A revision may also be asked for by the
 * commit it resolves to. Both serve Range
 * requests; `cutAfter` makes the next GET of a file stop after that many bytes (socket destroyed once
 * `beforeCut` resolves),
 * `ignoreRange` makes them answer 200 with the whole file.
 */
export class FakeHub {
  readonly files: Array<{ repo: string; revision: string; file: string; entry: HubEntry }> = [];
  readonly requests: SeenRequest[] = [];
  cutAfter: number | undefined;
  /** awaited before a `cutAfter` cut, with the byte count sent (default: 20 ms) */
  beforeCut: ((sent: number) => Promise<unknown>) | undefined;
  ignoreRange = false;
  private hub!: Server;
  private cdn!: Server;
  url = '';
  cdnUrl = '';

  async start(): Promise<void> {
    this.hub = createServer((req, res) => this.serveHub(req, res));
    this.cdn = createServer((req, res) => this.serveCdn(req, res));
    this.url = await listen(this.hub);
    this.cdnUrl = await listen(this.cdn);
  }

  async stop(): Promise<void> {
    await Promise.all(
      [this.hub, this.cdn].map(
        (s) =>
          new Promise((r) => {
            s.close(r);
            s.closeAllConnections();
          }),
      ),
    );
  }

  /**
   * Serves `file` at `revision` (and at the entry's commit). Adding a file again at the same
   * revision name is a new commit: the earlier entry stays reachable by its commit only.
   */
  add(repo: string, revision: string, file: string, entry: HubEntry): void {
    for (const f of this.files) {
      if (f.repo === repo && f.revision === revision && f.file === file) f.revision = f.entry.commit ?? HUB_COMMIT;
    }
    this.files.push({ repo, revision, file, entry });
  }

  private record(server: 'hub' | 'cdn', req: IncomingMessage): void {
    this.requests.push({
      server,
      method: req.method ?? '',
      path: decodeURI(req.url ?? ''),
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
  }

  private serveHub(req: IncomingMessage, res: ServerResponse): void {
    this.record('hub', req);
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(400).end();
    const [, repo, rev, file] = m.map((s) => decodeURIComponent(s ?? '')) as [string, string, string, string];
    if (repo.startsWith('old/')) {
      res.writeHead(307, { location: `/org/${repo.slice(4)}/resolve/${m[2]}/${m[3]}` });
      return void res.end();
    }
    const atRevision = this.files.filter(
      (f) => f.repo === repo && (f.revision === rev || (f.entry.commit ?? HUB_COMMIT) === rev),
    );
    const entry = atRevision.find((f) => f.file === file)?.entry;
    if (!entry) {
      const known = atRevision[0];
      const commit = known ? { 'x-repo-commit': known.entry.commit ?? HUB_COMMIT } : {};
      return void res.writeHead(404, { 'x-error-code': 'EntryNotFound', ...commit }).end('Entry not found');
    }
    const commit = entry.commit ?? HUB_COMMIT;
    const sha = sha256Hex(entry.body);
    if (entry.lfs) {
      res.writeHead(302, {
        location: `${this.cdnUrl}/blobs/${sha}`,
        'x-linked-etag': `"${entry.etag ?? sha}"`,
        'x-linked-size': String(entry.body.byteLength),
        'x-repo-commit': commit,
        etag: '"not-the-sha"',
      });
      return void res.end();
    }
    const gitSha = createHash('sha1').update(`blob ${entry.body.byteLength}\0`).update(entry.body).digest('hex');
    this.sendBody(req, res, entry.body, { etag: `"${gitSha}"`, 'x-repo-commit': commit });
  }

  private serveCdn(req: IncomingMessage, res: ServerResponse): void {
    this.record('cdn', req);
    const sha = /^\/blobs\/([0-9a-f]{64})$/.exec(req.url ?? '')?.[1];
    const entry = this.files.find((f) => sha256Hex(f.entry.body) === sha)?.entry;
    if (!entry) return void res.writeHead(404).end();
    this.sendBody(req, res, entry.body, {});
  }

  private sendBody(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>): void {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    let status = 200;
    if (range && !this.ignoreRange) {
      start = Number(range[1]);
      if (start >= body.byteLength) {
        return void res.writeHead(416, { 'content-range': `bytes */${body.byteLength}` }).end();
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${body.byteLength - 1}/${body.byteLength}`;
    }
    const part = body.subarray(start);
    res.writeHead(status, { ...headers, 'content-length': String(part.byteLength), 'accept-ranges': 'bytes' });
    if (req.method === 'HEAD') return void res.end();
    if (this.cutAfter !== undefined) {
      const n = this.cutAfter;
      this.cutAfter = undefined;
      // Cut only once the client holds the bytes (`beforeCut`, e.g. its partial file has n bytes):
      // bytes still queued in the client's stream are dropped when the connection breaks, so cutting
      // right after the write made the resume offset depend on timing.
      const cut = this.beforeCut ?? (() => new Promise((r) => setTimeout(r, 20)));
      res.write(part.subarray(0, n), () => void cut(n).then(() => res.socket?.destroy()));
      return;
    }
    res.end(part);
  }
}

export function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}
