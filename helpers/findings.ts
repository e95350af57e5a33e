// Shared result type for policy evaluations. Evaluations return findings and
// never throw for a policy violation, so one run can report every problem.

export type Severity = 'fail' | 'warn';

export interface Finding {
  severity: Severity;
  message: string;
}

/** Findings split by severity: handy for `expect(failures).toEqual([])`. */
export interface Evaluation {
  failures: string[];
  warnings: string[];
}

export function evaluation(findings: Finding[]): Evaluation {
  return {
    failures: findings.filter((f) => f.severity === 'fail').map((f) => f.message),
    warnings: findings.filter((f) => f.severity === 'warn').map((f) => f.message),
  };
}

export function fail(message: string): Finding {
  return { severity: 'fail', message };
}

export function warn(message: string): Finding {
  return { severity: 'warn', message };
}
