/**
 * A retry budget (a token bucket, as in Finagle and gRPC): every first attempt deposits `ratio` of
 * a token, every retry withdraws a whole one. With ratio 0.1, retries stay at most about 10% of
 * requests however bad things get, so a struggling server is not buried under retries. The bucket
 * holds at most `burst` tokens and starts full.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    readonly ratio: number,
    readonly burst = 10,
  ) {
    this.tokens = burst;
  }

  /** A first attempt was made. */
  deposit(): void {
    this.tokens = Math.min(this.burst, this.tokens + this.ratio);
  }

  /** Takes a token for a retry; false when the budget is spent (the retry must not happen). */
  withdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens left. */
  get balance(): number {
    return this.tokens;
  }
}
