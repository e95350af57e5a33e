/** One entry of the fault catalogue. */
export interface Fault {
  /** What the fault does to the sandbox, in one sentence. */
  breaks: string;
  /** Checklist IDs whose checks must fail; empty = the suite must stay green. */
  expect: readonly string[];
  /**
   * Spec files whose checks this fault leaves without their precondition
   * (they skip, saying why, rather than fail): the fault matrix never lets
   * it share a sandbox with a fault of those files.
   */
  reaches?: readonly string[];
}
