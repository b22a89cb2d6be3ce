import cliProgress from 'cli-progress';

/**
 * Progress of long work: a bar with items/s and ETA on a TTY (a spinner with the count while the
 * total is unknown), plain periodic lines otherwise.
 */
export interface Progress {
  /** advance by `n` items (default 1); `status` (e.g. "loss 0.412") is shown after the figures */
  tick(n?: number, status?: string): void;
  /** set the total once it is known */
  setTotal(total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  /** number of items when known; without it the TTY shows a spinner and the count, not a bar */
  total?: number;
  unit?: string;
  /** where output goes; default process.stderr */
  stream?: NodeJS.WriteStream;
  /** for non-TTY output: at most one line per this many ms (default 5000) */
  intervalMs?: number;
  /** turn all output off */
  silent?: boolean;
  /**
   * leave nothing behind when stopped: the TTY bar is cleared and no final line is written (for a
   * bar per step of a longer job, e.g. one per training epoch, whose caller reports the step)
   */
  transient?: boolean;
}

/** Creates a progress reporter suited to where `stream` points. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const unit = options.unit ?? 'items';
  if (options.silent) return { tick() {}, setTotal() {}, stop() {} };
  if (stream.isTTY) return ttyProgress(options, stream, unit);
  return lineProgress(options, stream, unit);
}

const SPINNER = ['|', '/', '-', '\\'];

function ttyProgress(options: ProgressOptions, stream: NodeJS.WriteStream, unit: string): Progress {
  let known = options.total !== undefined;
  const withTotal = `${options.label} [{bar}] {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}{status}`;
  const withoutTotal = `${options.label} {spinner} {value} ${unit} | {speed} ${unit}/s | {duration_formatted}{status}`;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      // the count alone (with a spinner) until a total is known: never "802/0"
      format: (opts, params, payload) =>
        cliProgress.Format.Formatter({ ...opts, format: known ? withTotal : withoutTotal }, params, {
          ...payload,
          spinner: SPINNER[Math.floor(Date.now() / 250) % SPINNER.length],
        }),
      hideCursor: true,
      clearOnComplete: options.transient === true,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  let value = 0;
  bar.start(options.total ?? 0, 0, { speed: '0', status: '' });
  return {
    tick(n = 1, status) {
      value += n;
      bar.update(value, { speed: rate(value, start).toFixed(1), status: status ? ` | ${status}` : '' });
    },
    setTotal(total) {
      known = true;
      bar.setTotal(total);
    },
    stop() {
      bar.stop();
    },
  };
}

function lineProgress(options: ProgressOptions, stream: NodeJS.WriteStream, unit: string): Progress {
  const start = Date.now();
  const interval = options.intervalMs ?? 5000;
  let last = start;
  let value = 0;
  let total = options.total;
  let status = '';
  const line = (final: boolean) => {
    const r = rate(value, start);
    const of = total !== undefined ? `/${total}` : '';
    const eta = total !== undefined && r > 0 && !final ? `, ETA ${Math.round((total - value) / r)}s` : '';
    const tail = status ? `, ${status}` : '';
    stream.write(`${options.label}: ${value}${of} ${unit} (${r.toFixed(1)} ${unit}/s${eta}${tail})${final ? ' done' : ''}\n`);
  };
  return {
    tick(n = 1, s) {
      value += n;
      if (s !== undefined) status = s;
      const now = Date.now();
      if (now - last >= interval) {
        last = now;
        line(false);
      }
    },
    setTotal(t) {
      total = t;
    },
    stop() {
      if (options.transient !== true) line(true);
    },
  };
}

function rate(value: number, start: number): number {
  const s = (Date.now() - start) / 1000;
  return s > 0 ? value / s : 0;
}
