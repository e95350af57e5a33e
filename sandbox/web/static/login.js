// /login: signs in through the API and lands on the dashboard (or setup without a practice).
import { api, ApiError, homeFor, setSession } from './dc-api.js';
import { showError, wirePasswordToggles } from './ui.js';

const form = document.getElementById('login-form');
const submit = document.getElementById('login-submit');
const error = document.getElementById('login-error');

wirePasswordToggles();
submit.disabled = false;

function messageFor(err) {
  if (err instanceof ApiError) {
    if (err.errorCode === 'INVALID_CREDENTIALS') return 'Invalid email or password.';
    if (err.errorCode === 'ACCOUNT_LOCKED_TEMPORARY') return 'Too many failed attempts. Your account is locked for 15 minutes.';
    if (err.errorCode === 'ACCOUNT_LOCKED') return 'Your account is locked. Please contact support.';
    if (err.status === 400 && err.messages.length > 0) return err.messages.join(' ');
    if (err.status === 429) return 'Too many attempts. Please wait a moment and try again.';
  }
  return 'Sign-in failed. Please try again later.';
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(error, '');
  const email = document.getElementById('email').value.trim();
  const password = document.getElementById('password').value;
  if (!email || !password) return showError(error, 'Please enter your email and password.');
  submit.disabled = true;
  try {
    const session = await api('/api/auth/login', { method: 'POST', body: { email, password }, auth: false });
    setSession(session);
    location.assign(homeFor(session.user));
  } catch (err) {
    showError(error, messageFor(err));
    submit.disabled = false;
  }
});
