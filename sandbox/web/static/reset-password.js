// /reset-password?token=…: posts the one-time token from the mail with the new password.
import { api, ApiError } from './dc-api.js';
import { showError, wirePasswordToggles } from './ui.js';

const form = document.getElementById('reset-form');
const submit = document.getElementById('reset-submit');
const error = document.getElementById('reset-error');
const token = new URLSearchParams(location.search).get('token') ?? '';

wirePasswordToggles();
submit.disabled = false;

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(error, '');
  const password = document.getElementById('password').value;
  if (password !== document.getElementById('confirmPassword').value) return showError(error, 'The passwords do not match.');
  submit.disabled = true;
  try {
    await api('/api/auth/reset-password', { method: 'POST', body: { token, password }, auth: false });
    location.assign('/login');
  } catch (err) {
    showError(error, err instanceof ApiError && err.errorCode === 'INVALID_RESET_TOKEN' ? 'This link is invalid or was already used.' : 'Could not reset the password.');
    submit.disabled = false;
  }
});
