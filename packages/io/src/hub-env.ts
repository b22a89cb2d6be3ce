import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The Hugging Face cache directory, as Python's huggingface_hub finds it: `$HF_HUB_CACHE`, else
 * `$HUGGINGFACE_HUB_CACHE` (its older name), else `$HF_HOME/hub`, else
 * `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`. A leading `~` is expanded.
 */
export function hubCacheDir(env: Env = process.env): string {
  const cache = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  if (cache) return resolve(expandHome(cache));
  const home = env.HF_HOME
    ? expandHome(env.HF_HOME)
    : join(env.XDG_CACHE_HOME ? expandHome(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'huggingface');
  return resolve(home, 'hub');
}

/** The Hub endpoint: `$HF_ENDPOINT` (e.g. a mirror), else https://huggingface.co. */
export function hubEndpoint(env: Env = process.env): string {
  return (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
}

/** Whether offline mode is on: `HF_HUB_OFFLINE` or `KADAPTER_OFFLINE` is 1/true/yes/on. */
export function hubOffline(env: Env = process.env): boolean {
  const on = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
  return on(env.HF_HUB_OFFLINE) || on(env.KADAPTER_OFFLINE);
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
