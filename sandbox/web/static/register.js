// /register: creates the account, keeps the session, continues to practice setup.
import { api, ApiError, FAULTS, setSession } from './dc-api.js';
import { showError, wirePasswordToggles } from './ui.js';

const form = document.getElementById('register-form');
const tos = document.getElementById('tos');
const submit = document.getElementById('register-submit');
const error = document.getElementById('register-error');
const value = (id) => document.getElementById(id).value;

wirePasswordToggles();
// The box may have been ticked before this script ran.
submit.disabled = !tos.checked;
tos.addEventListener('change', () => {
  submit.disabled = !tos.checked;
});

function messageFor(err) {
  if (err instanceof ApiError) {
    if (err.errorCode === 'EMAIL_ALREADY_REGISTERED') return 'An account with this email already exists.';
    if (err.status === 400 && err.messages.length > 0) return err.messages.join(' ');
    if (err.status === 429) return 'Too many attempts. Please wait a moment and try again.';
  }
  return 'Registration failed. Please try again later.';
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(error, '');
  if (!value('email') || !value('password')) return showError(error, 'Please enter your email and a password.');
  if (value('password') !== value('confirmPassword')) return showError(error, 'Passwords do not match.');
  submit.disabled = true;
  try {
    // Fault 'registration-broken': a build that posts to a route the API does not have.
    const route = FAULTS.has('registration-broken') ? '/api/auth/signup' : '/api/auth/register';
    const body = { email: value('email').trim(), password: value('password'), locale: 'en' };
    if (value('name').trim()) body.name = value('name').trim();
    setSession(await api(route, { method: 'POST', body, auth: false }));
    location.assign('/setup');
  } catch (err) {
    showError(error, messageFor(err));
    submit.disabled = !tos.checked;
  }
});
