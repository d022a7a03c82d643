/**
 * OTP's restart intensity: at most maxRestarts restarts within any maxSeconds. Pure, over a
 * monotonic clock given by the caller.
 */
export class RestartIntensity {
  private restarts: number[] = [];

  constructor(
    private readonly maxRestarts: number,
    private readonly maxSeconds: number,
  ) {}

  /** Records a restart at `nowMs`; false when it is one more than the intensity allows. */
  tryRestart(nowMs: number): boolean {
    const since = nowMs - this.maxSeconds * 1000;
    this.restarts = this.restarts.filter((at) => at > since);
    this.restarts.push(nowMs);
    return this.restarts.length <= this.maxRestarts;
  }

  describe(): string {
    return `more than ${this.maxRestarts} restarts within ${this.maxSeconds} s`;
  }
}
