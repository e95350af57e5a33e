/**
 * Playwright reporter that blanks the run's synthetic passwords in text
 * attachments (the failure snapshot error-context.md shows what was typed into
 * password fields) before the other reporters copy or list them. Listed first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { redactSyntheticSecrets } from './synthetic.ts';

const isText = (contentType: string, name: string) =>
  contentType.startsWith('text/') || contentType.includes('json') || contentType.includes('markdown') || name.endsWith('.md');

/** Step titles show what a fill typed ("Fill "<value>" locator(...)"): blank passwords there too, steps of steps included. */
function redactSteps(steps: TestStep[]): void {
  for (const step of steps) {
    const title = redactSyntheticSecrets(step.title);
    if (title !== step.title) (step as { title: string }).title = title;
    redactSteps(step.steps);
  }
}

export default class RedactReporter implements Reporter {
  onStepEnd(_test: TestCase, _result: TestResult, step: TestStep): void {
    redactSteps([step]);
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    redactSteps(result.steps);
    for (const attachment of result.attachments) {
      if (!isText(attachment.contentType, attachment.name)) continue;
      if (attachment.body) {
        attachment.body = Buffer.from(redactSyntheticSecrets(attachment.body.toString('utf8')));
      } else if (attachment.path) {
        let text: string;
        try {
          text = readFileSync(attachment.path, 'utf8');
        } catch {
          continue;
        }
        const redacted = redactSyntheticSecrets(text);
        if (redacted !== text) writeFileSync(attachment.path, redacted);
      }
    }
  }

  printsToStdio(): boolean {
    return false;
  }
}
