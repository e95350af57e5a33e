// The logged-in layout: session guard, the API calls every app page makes on load
// (as the real frontend does), the vault, sign-out and the flash toast.
import { api, ApiError, clearSession, getSession, navigate, settled } from './dc-api.js';
import { VAULT_SESSION_KEY } from './vault-crypto.js';
import { showFlashToast, toast } from './ui.js';
import { Vault } from './vault.js';

const NEVER = new Promise(() => {});

async function signOut() {
  await settled();
  clearSession();
  sessionStorage.removeItem(VAULT_SESSION_KEY);
  location.assign('/login');
}

// In-app links wait for the page's API calls (see navigate()).
function routeLinks() {
  document.addEventListener('click', (e) => {
    const link = e.target instanceof Element ? e.target.closest('a[href]') : null;
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || link.target) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin) return;
    e.preventDefault();
    void navigate(url.href);
  });
}

/** Handles a failed load: an expired session goes back to the login page, anything else is shown. */
export function loadFailed(err, what) {
  if (err instanceof ApiError && err.status === 401) return void signOut();
  toast(`Could not load ${what}. Please reload the page.`, { kind: 'error' });
}

/**
 * Starts the shell. Resolves to {session, practice, vault}; never resolves when the
 * page is being left (no session, or no practice yet), so the page code stops there.
 */
export async function startShell() {
  const session = getSession();
  if (!session) {
    location.replace('/login');
    return NEVER;
  }
  if (!session.user.practiceId) {
    location.replace('/setup');
    return NEVER;
  }
  const signOutButton = document.getElementById('sign-out');
  signOutButton.addEventListener('click', () => void signOut());
  routeLinks();
  signOutButton.disabled = false;

  const practice = api('/api/practice');
  // Loaded by every page of the real app (settings, feature flags, AI assistant status).
  const extras = Promise.all(['/api/settings', '/api/features', '/api/ai/status'].map((p) => api(p)));
  practice.catch(() => undefined);
  const vault = new Vault(practice);
  showFlashToast();

  try {
    const [p] = await Promise.all([practice, extras]);
    document.getElementById('practice-name').textContent = p.name ?? '';
    return { session, practice: p, vault };
  } catch (err) {
    loadFailed(err, 'the practice');
    return NEVER;
  }
}
