/** One entry of the fault catalogue. */
export interface Fault {
  /** What the fault does to the sandbox, in one sentence. */
  breaks: string;
  /** Checklist IDs whose checks must fail; empty = the suite must stay green. */
  expect: readonly string[];
}
