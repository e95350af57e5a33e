import type { SandboxContext } from '../../context.ts';
import { documentHtml } from './layout.ts';

/**
 * The public consent wizard (/consent/<token>): intro, details, questionnaire,
 * comprehension quiz, signature, review, thank you. One step is visible at a
 * time; consent-wizard.js builds the questionnaire and quiz for the type.
 */
export function consentPage(ctx: SandboxContext): string {
  const body = `<main class="wizard">
<p id="consent-practice" class="muted"></p>
<p id="consent-status" class="muted" aria-live="polite">Loading consent form…</p>
<p id="consent-error" class="error" role="alert" hidden></p>

<section class="card step" id="step-intro" hidden>
  <h1>Your consent form</h1>
  <p id="intro-text"></p>
  <p class="muted">Your answers are encrypted in this browser before they are sent: only your practice can read them.</p>
  <div class="actions"><button type="button" id="intro-begin">Begin</button></div>
</section>

<section class="card step" id="step-details" hidden>
  <h1>Your details</h1>
  <form id="details-form" novalidate>
    <div class="field"><label for="patient-name">Full name *</label><input type="text" id="patient-name" autocomplete="name" required></div>
    <div class="field"><label for="patient-dob">Date of birth *</label><input type="date" id="patient-dob" autocomplete="bday" required></div>
    <div class="field"><label for="patient-email">Email (optional)</label><input type="email" id="patient-email" autocomplete="email"></div>
    <p id="details-error" class="error" role="alert" hidden></p>
    <div class="actions"><button type="submit" id="details-continue">Continue</button></div>
  </form>
</section>

<section class="card step" id="step-form" hidden>
  <h1>Medical questionnaire</h1>
  <form id="questionnaire" novalidate>
    <div id="questions"></div>
    <p id="form-error" class="error" role="alert" hidden></p>
    <div class="actions"><button type="submit" id="form-continue">Continue to quiz</button></div>
  </form>
</section>

<section class="card step" id="step-quiz" hidden>
  <h1>Comprehension Check</h1>
  <p id="quiz-progress" class="muted"></p>
  <fieldset class="quiz-question">
    <legend id="quiz-question"></legend>
    <div id="quiz-options" class="choices vertical"></div>
  </fieldset>
  <p id="quiz-feedback" aria-live="polite" hidden></p>
  <div class="actions">
    <button type="button" id="quiz-check" disabled>Check answer</button>
    <button type="button" id="quiz-next" hidden>Next question</button>
    <button type="button" id="quiz-finish" hidden>Continue to signature</button>
  </div>
</section>

<section class="card step" id="step-sign" hidden>
  <h1>Signature</h1>
  <p class="muted">Sign with your mouse or finger in the box below.</p>
  <canvas id="signature-pad" width="600" height="200" aria-label="Signature pad"></canvas>
  <p id="signature-status" aria-live="polite"></p>
  <div class="actions">
    <button type="button" class="secondary" id="signature-clear">Clear</button>
    <button type="button" id="sign-continue" disabled>Continue to review</button>
  </div>
</section>

<section class="card step" id="step-review" hidden>
  <h1>Review</h1>
  <dl id="review-summary" class="data"></dl>
  <p>By submitting you give your binding consent to the treatment described above.</p>
  <p id="submit-error" class="error" role="alert" hidden></p>
  <div class="actions"><button type="button" id="review-submit">Submit binding consent</button></div>
</section>

<section class="card step" id="step-done" hidden>
  <h1>Thank you!</h1>
  <p>Your consent has been submitted securely. You can close this page now.</p>
</section>
</main>`;
  return documentHtml(ctx, 'Consent form – DermaConsent', body, 'consent-wizard.js');
}
