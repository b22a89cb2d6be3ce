import { ConfigError, NetworkError } from '@kadapter/core';
import { Redis } from 'ioredis';

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Checks a `redis://` or `rediss://` URL; a ConfigError names the option (`field`) otherwise. */
export function checkRedisUrl(url: string, field = 'queue'): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`not a URL: ${JSON.stringify(url)} (expected redis://host:port[/db])`, { field });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new ConfigError(`expected a redis:// or rediss:// URL, got ${JSON.stringify(redactRedisUrl(url))}`, {
      field,
    });
  if (!parsed.hostname) throw new ConfigError(`the URL has no host: ${JSON.stringify(url)}`, { field });
}

/**
 * The Redis clients of one BullMQ user (worker, submitter). Each BullMQ object gets its own client
 * (`maxRetriesPerRequest: null`, which BullMQ's blocking connections need); `close()` quits them all.
 */
export class RedisClients {
  private readonly clients: Redis[] = [];

  private constructor(readonly url: string) {}

  /**
   * Checks the URL and that Redis answers PING within `timeoutMs`, so a wrong address fails fast
   * with a NetworkError instead of BullMQ retrying forever.
   */
  static async connect(url: string, timeoutMs = 5000): Promise<RedisClients> {
    checkRedisUrl(url);
    const probe = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    let cause: Error | undefined; // the socket error (ECONNREFUSED, ...) says more than the rejection
    probe.on('error', (err: Error) => {
      cause ??= err;
    });
    try {
      await probe.connect();
      await probe.ping();
    } catch (err) {
      const reason = (cause ?? (err as Error)).message;
      throw new NetworkError(`Redis at ${redactRedisUrl(url)} is not reachable: ${reason}`, {
        field: 'queue',
        cause: err,
      });
    } finally {
      probe.disconnect();
    }
    return new RedisClients(url);
  }

  /** A new client; BullMQ objects share nothing, so each gets one. */
  create(): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: null });
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  }
}
