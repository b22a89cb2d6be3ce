/** Step-by-step console output of the demo: numbered steps with timings, then a summary. */
export class DemoLog {
  private step = 0;
  private started = performance.now();

  constructor(
    private readonly total: number,
    private readonly write: (line: string) => void,
  ) {}

  /** Runs one numbered step and prints how long it took. */
  async run<T>(title: string, body: () => Promise<T> | T): Promise<T> {
    this.step += 1;
    this.write(`\n[${this.step}/${this.total}] ${title}`);
    const t0 = performance.now();
    const result = await body();
    this.write(`      done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  }

  info(line: string): void {
    this.write(`      ${line}`);
  }

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
