import type { LocalStack } from '../local/stack';
import { Client } from '../test/support/client';

// The contract's HTTP client (real requests, real webhook signatures), plus tokens minted
// straight from the stack's local issuer: the booking quota (10 an hour per resident)
// means a load test books as many residents, as real traffic would.

export const BENCH_SECRET = 'whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQtZm9yLWxvY2FsLWJlbmNo';

export class BenchClient extends Client {
  private residents = 0;

  constructor(readonly stack: LocalStack) {
    super(stack.url, BENCH_SECRET);
  }

  /** A token for a resident who has not booked yet. */
  freshResident(): string {
    this.residents++;
    return this.stack.issuer.issue({
      sub: `r-bench-${process.pid}-${this.residents}`,
      'custom:role': 'resident',
    });
  }

  staff(role: 'agent' | 'manager', sub = `${role}-bench`): string {
    return this.stack.issuer.issue({ sub, 'custom:role': role });
  }
}
