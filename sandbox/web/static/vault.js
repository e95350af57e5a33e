// The encryption vault of a logged-in tab: the practice private key, unlocked with the
// master password (PBKDF2 + AES-GCM, vault-crypto.js) and kept for the tab in
// sessionStorage like the real UI. Owns the header/sidebar vault buttons, the popover
// with "Lock vault" and the "Unlock Encryption Vault" dialog.
import { api, FAULTS } from './dc-api.js';
import { unlockClearKeyBlob } from './fault-clear-privkey.js';
import { unlockPrivateKey, unwrapFromSession, VAULT_SESSION_KEY, wrapForSession } from './vault-crypto.js';
import { closeDialog, openDialog, showError, toast } from './ui.js';

const IDLE_LOCK_MS = 15 * 60 * 1000;

function parseBlob(blob) {
  return typeof blob === 'string' ? JSON.parse(blob) : blob;
}

export class Vault {
  #practice; // Promise of GET /api/practice
  #key = null; // CryptoKey once unwrapped
  #unlocked = sessionStorage.getItem(VAULT_SESSION_KEY) !== null;
  #pending = []; // resolvers of requireKey() waiting on the dialog
  #idleTimer;
  #el = {
    header: document.getElementById('header-vault'),
    sidebar: document.getElementById('sidebar-vault'),
    popover: document.getElementById('vault-popover'),
    lock: document.getElementById('vault-lock'),
    sidebarLock: document.getElementById('sidebar-vault-lock'),
    dialog: document.getElementById('vault-dialog'),
    form: document.getElementById('vault-form'),
    password: document.getElementById('vault-modal-password'),
    error: document.getElementById('vault-modal-error'),
    submit: document.getElementById('vault-submit'),
    cancel: document.getElementById('vault-cancel'),
  };

  constructor(practicePromise) {
    this.#practice = practicePromise;
    const { header, sidebar, lock, form, cancel, popover } = this.#el;
    header.addEventListener('click', () => this.#toggle());
    sidebar.addEventListener('click', () => this.#toggle());
    lock.addEventListener('click', () => void this.lock());
    this.#el.sidebarLock.addEventListener('click', () => void this.lock());
    cancel.addEventListener('click', () => closeDialog(this.#el.dialog));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#submit();
    });
    document.addEventListener('click', (e) => {
      if (!popover.hidden && !popover.contains(e.target) && e.target !== header && e.target !== sidebar) this.#closePopover();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !popover.hidden) this.#closePopover();
    });
    for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, () => this.#resetIdle(), { passive: true });
    this.#render();
    this.#resetIdle();
  }

  get unlocked() {
    return this.#unlocked;
  }

  /** The private key when unlocked (null if the tab holds none). */
  async privateKey() {
    if (!this.#unlocked) return null;
    if (this.#key) return this.#key;
    const stored = sessionStorage.getItem(VAULT_SESSION_KEY);
    if (!stored) return null;
    try {
      this.#key = await unwrapFromSession(stored);
    } catch {
      // A damaged entry: forget it and ask for the password again.
      sessionStorage.removeItem(VAULT_SESSION_KEY);
      this.#setUnlocked(false);
      return null;
    }
    return this.#key;
  }

  /** The private key, asking for the master password first when the vault is locked (null if cancelled). */
  async requireKey() {
    if (this.#unlocked) return this.privateKey();
    return new Promise((resolve) => {
      this.#pending.push(resolve);
      this.#openDialog();
    });
  }

  async lock() {
    this.#closePopover();
    sessionStorage.removeItem(VAULT_SESSION_KEY);
    this.#key = null;
    await this.#logEvent('VAULT_LOCKED');
    this.#setUnlocked(false);
    toast('Vault locked');
  }

  #toggle() {
    if (!this.#unlocked) return this.#openDialog();
    const { popover, header } = this.#el;
    popover.hidden = !popover.hidden;
    header.setAttribute('aria-expanded', String(!popover.hidden));
    if (!popover.hidden) this.#el.lock.focus();
  }

  #closePopover() {
    this.#el.popover.hidden = true;
    this.#el.header.setAttribute('aria-expanded', 'false');
  }

  #openDialog() {
    const { dialog, password, error } = this.#el;
    if (!dialog.hidden) return;
    password.value = '';
    showError(error, '');
    openDialog(dialog, {
      focus: password,
      onClose: () => {
        for (const resolve of this.#pending.splice(0)) resolve(this.#key);
      },
    });
  }

  async #submit() {
    const { password, error, submit } = this.#el;
    showError(error, '');
    if (!password.value) return showError(error, 'Please enter your master password.');
    submit.disabled = true;
    submit.textContent = 'Unlocking...';
    try {
      const practice = await this.#practice;
      let key = null;
      try {
        // Fault 'privkey-in-clear': that build also reads its key back in clear.
        const unlock = FAULTS.has('privkey-in-clear') ? unlockClearKeyBlob : unlockPrivateKey;
        key = await unlock(parseBlob(practice.encryptedPrivKey), password.value);
      } catch (err) {
        // Fault 'vault-accepts-wrong-password': a build that ignored the failed GCM check.
        if (!FAULTS.has('vault-accepts-wrong-password')) throw err;
      }
      if (key) sessionStorage.setItem(VAULT_SESSION_KEY, JSON.stringify(await wrapForSession(key)));
      this.#key = key;
      await this.#logEvent('VAULT_UNLOCKED');
      this.#setUnlocked(true);
      closeDialog(this.#el.dialog);
      toast('Vault unlocked successfully');
    } catch (err) {
      // vault-crypto.js words a failed GCM check "Wrong password: ..."; anything else is no verdict on the password.
      const wrong = err instanceof Error && err.message.startsWith('Wrong password');
      showError(error, wrong ? 'Wrong password' : 'The vault could not be unlocked. Please reload the page and try again.');
      password.select();
    } finally {
      password.value = this.#el.dialog.hidden ? '' : password.value;
      submit.disabled = false;
      submit.textContent = 'Unlock vault';
    }
  }

  async #logEvent(action) {
    // Fault 'vault-events-missing': what the real frontend does today (it never calls the route).
    if (FAULTS.has('vault-events-missing')) return;
    try {
      await api('/api/audit/vault-event', { method: 'POST', body: { action } });
    } catch {
      // The vault works without the audit entry; the failed request is already in the console.
    }
  }

  #setUnlocked(unlocked) {
    this.#unlocked = unlocked;
    this.#render();
    document.dispatchEvent(new CustomEvent('vault-change', { detail: { unlocked } }));
  }

  #render() {
    const { header, sidebar, sidebarLock } = this.#el;
    // As the real sidebar: while unlocked, an icon button named "Lock vault" beside the status.
    sidebarLock.hidden = !this.#unlocked;
    header.textContent = this.#unlocked ? 'Vault unlocked' : 'Vault locked';
    sidebar.textContent = this.#unlocked ? 'Vault Unlocked' : 'Vault Locked';
    header.classList.toggle('unlocked', this.#unlocked);
    sidebar.classList.toggle('unlocked', this.#unlocked);
    header.hidden = false;
    sidebar.hidden = false;
    if (!this.#unlocked) this.#closePopover();
  }

  #resetIdle() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#unlocked) void this.lock();
    }, IDLE_LOCK_MS);
  }
}
