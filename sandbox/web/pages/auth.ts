import type { SandboxContext } from '../../context.ts';
import { documentHtml, TOASTER } from './layout.ts';

/** A password input with its "Show password" toggle (why the suite matches password labels exactly). */
function passwordField(id: string, label: string, autocomplete: string): string {
  return `<div class="field">
  <label for="${id}">${label}</label>
  <div class="password-field">
    <input type="password" id="${id}" autocomplete="${autocomplete}" required>
    <button type="button" class="icon" data-toggle-password="${id}" aria-label="Show password">Show</button>
  </div>
</div>`;
}

export function registerPage(ctx: SandboxContext): string {
  const main = `<main class="auth">
<div class="card">
  <h1>Create account</h1>
  <p class="muted">Start your 30-day free trial. No credit card required.</p>
  <form id="register-form" novalidate>
    <div class="field"><label for="name">Name</label><input type="text" id="name" autocomplete="name"></div>
    <div class="field"><label for="email">Email</label><input type="email" id="email" autocomplete="email" required></div>
    ${passwordField('password', 'Password', 'new-password')}
    ${passwordField('confirmPassword', 'Confirm password', 'new-password')}
    <p class="hint">At least 8 characters with upper and lower case letters and a digit.</p>
    <div class="checkbox"><input type="checkbox" id="tos"><label for="tos">I accept the terms of service and the privacy policy</label></div>
    <p id="register-error" class="error" role="alert" hidden></p>
    <button type="submit" id="register-submit" disabled>Create account</button>
  </form>
  <p class="muted">Already have an account? <a href="/login">Sign in</a></p>
</div>
</main>
${TOASTER}`;
  return documentHtml(ctx, 'Create account – DermaConsent', main, 'register.js');
}

export function loginPage(ctx: SandboxContext): string {
  const main = `<main class="auth">
<div class="card">
  <h1>Sign in</h1>
  <p class="muted">Welcome back to DermaConsent.</p>
  <form id="login-form" novalidate>
    <div class="field"><label for="email">Email</label><input type="email" id="email" autocomplete="email" required></div>
    ${passwordField('password', 'Password', 'current-password')}
    <p id="login-error" class="error" role="alert" hidden></p>
    <button type="submit" id="login-submit" disabled>Sign in</button>
  </form>
  <p class="muted">No account yet? <a href="/register">Create account</a></p>
</div>
</main>
${TOASTER}`;
  return documentHtml(ctx, 'Sign in – DermaConsent', main, 'login.js');
}

export function setupPage(ctx: SandboxContext): string {
  const main = `<main class="auth">
<div class="card">
  <h1>Register practice</h1>
  <p class="muted">Your practice gets its own encryption keys. The master password protects the private key;
  it is never sent to the server and cannot be recovered.</p>
  <form id="setup-form" novalidate>
    <div class="field"><label for="name">Practice name *</label><input type="text" id="name" autocomplete="organization" required></div>
    <div class="field"><label for="dsgvoContact">GDPR contact email *</label><input type="email" id="dsgvoContact" autocomplete="email" required></div>
    <div class="field"><label for="password">Master password *</label><input type="password" id="password" autocomplete="new-password" required></div>
    <div class="field"><label for="passwordConfirm">Confirm master password *</label><input type="password" id="passwordConfirm" autocomplete="new-password" required></div>
    <p class="hint">At least 8 characters. Keep it safe: without it nobody can read your patients' data.</p>
    <p id="setup-error" class="error" role="alert" hidden></p>
    <button type="submit" id="setup-submit" disabled>Register practice</button>
  </form>
</div>
</main>
${TOASTER}`;
  return documentHtml(ctx, 'Register practice – DermaConsent', main, 'setup.js');
}

/** /reset-password?token=…: the page the password-reset mail links to; the token is posted once, from the page script. */
export function resetPasswordPage(ctx: SandboxContext): string {
  const main = `<main class="auth">
<div class="card">
  <h1>Choose a new password</h1>
  <form id="reset-form" novalidate>
    ${passwordField('password', 'New password', 'new-password')}
    ${passwordField('confirmPassword', 'Confirm new password', 'new-password')}
    <p id="reset-error" class="error" role="alert" hidden></p>
    <button type="submit" id="reset-submit" disabled>Set new password</button>
  </form>
  <p class="muted"><a href="/login">Back to sign in</a></p>
</div>
</main>
${TOASTER}`;
  return documentHtml(ctx, 'Reset password – DermaConsent', main, 'reset-password.js');
}

/** /invite/<token>: the page the team invitation links to. */
export function invitePage(ctx: SandboxContext): string {
  const main = `<main class="auth">
<div class="card">
  <h1>Join your team on DermaConsent</h1>
  <p class="muted">You were invited to a practice. Create your account with the invited email address to accept.</p>
  <p><a href="/register">Create account</a> · <a href="/login">Sign in</a></p>
</div>
</main>`;
  return documentHtml(ctx, 'Team invitation – DermaConsent', main);
}
