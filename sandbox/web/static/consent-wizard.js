// The public consent wizard (/consent/<token>, no session). Everything the patient enters
// is encrypted here for the practice's public key; only ciphertext is posted, in the real
// UI's payload shape (docs/targets/dermaconsent.md, "Encryption formats").
import { api, ApiError, FAULTS } from './dc-api.js';
import { formFor, treatmentLabel } from './consent-forms.js';
import { SignaturePad } from './signature-pad.js';
import { showError } from './ui.js';
import { encryptForPractice, encryptPatientField, patientLookupHash } from './vault-crypto.js';

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const STEPS = ['intro', 'details', 'form', 'quiz', 'sign', 'review', 'done'];

const state = { consent: null, patient: null, answers: {}, quizAnswers: [], quizIndex: 0, selected: null };

function show(step) {
  for (const s of STEPS) $(`step-${s}`).hidden = s !== step;
  window.scrollTo(0, 0);
}

// ---- intro --------------------------------------------------------------------------

async function load() {
  const status = $('consent-status');
  try {
    state.consent = await api(`/api/consent/${encodeURIComponent(token)}`, { auth: false });
  } catch (err) {
    status.hidden = true;
    showError(
      $('consent-error'),
      err instanceof ApiError && (err.status === 404 || err.status === 410)
        ? 'This consent link is invalid or has expired.'
        : 'The consent form could not be loaded. Please try again later.',
    );
    return;
  }
  status.hidden = true;
  const { consent } = state;
  $('consent-practice').textContent = consent.practice?.name ?? '';
  if (consent.status !== 'PENDING') {
    showError($('consent-error'), 'This consent form has already been submitted.');
    return;
  }
  $('intro-text').textContent =
    `${consent.practice?.name ?? 'Your practice'} asks for your informed consent to: ${treatmentLabel(consent.type)}. ` +
    'You will enter your details, answer a few medical questions and a short comprehension check, then sign.';
  buildQuestionnaire(formFor(consent.type).questions);
  show('intro');
}

$('intro-begin').addEventListener('click', () => {
  show('details');
  $('patient-name').focus();
});

// ---- details ------------------------------------------------------------------------

$('details-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const name = $('patient-name').value.trim();
  const dateOfBirth = $('patient-dob').value;
  const email = $('patient-email').value.trim();
  const error = $('details-error');
  if (!name || !dateOfBirth) return showError(error, 'Please enter your full name and date of birth.');
  if (dateOfBirth > new Date().toISOString().slice(0, 10)) return showError(error, 'The date of birth lies in the future.');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return showError(error, 'Please enter a valid email address.');
  showError(error, '');
  state.patient = { name, dateOfBirth, email };
  show('form');
});

// ---- questionnaire ------------------------------------------------------------------

function choiceButton(label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'choice';
  b.textContent = label;
  b.dataset.value = label;
  b.setAttribute('aria-pressed', 'false');
  b.addEventListener('click', onClick);
  return b;
}

function lettered(button, index) {
  const badge = Object.assign(document.createElement('span'), { className: 'badge', textContent: String.fromCharCode(65 + index) });
  button.prepend(badge);
  return button;
}

function buildQuestionnaire(questions) {
  const root = $('questions');
  for (const q of questions) {
    // As the real form: the asterisk follows the label with no space ("Treatment areas*").
    const title = q.required ? `${q.label}*` : q.label;
    if (q.kind === 'text') {
      const field = document.createElement('div');
      field.className = 'field';
      const label = Object.assign(document.createElement('label'), { htmlFor: q.id, textContent: title });
      const area = Object.assign(document.createElement('textarea'), { id: q.id, rows: 3 });
      area.addEventListener('input', () => {
        state.answers[q.id] = area.value;
      });
      field.append(label, area);
      root.append(field);
      continue;
    }
    const set = document.createElement('fieldset');
    set.className = 'question';
    set.append(Object.assign(document.createElement('legend'), { textContent: title }));
    const choices = document.createElement('div');
    choices.className = 'choices';
    const buttons = q.options.map((option) =>
      choiceButton(option, () => {
        choose(q, option);
        for (const b of buttons) b.setAttribute('aria-pressed', String(isChosen(q, b.dataset.value)));
        if (q.lookup) toggleLookup(q, option === q.lookup);
      }),
    );
    choices.append(...buttons);
    set.append(choices);
    if (q.lookup) set.append(lookupField(q));
    root.append(set);
  }
}

function isChosen(q, option) {
  const v = state.answers[q.id];
  return Array.isArray(v) ? v.includes(option) : v === option;
}

function choose(q, option) {
  if (q.kind === 'single') {
    state.answers[q.id] = option;
    return;
  }
  let list = state.answers[q.id] ?? [];
  if (list.includes(option)) list = list.filter((o) => o !== option);
  else if (option === q.exclusive) list = [option];
  else list = [...list.filter((o) => o !== q.exclusive), option];
  state.answers[q.id] = list;
}

// "Current medications: Yes" searches a drug database, as the real UI does. That service
// is outside the CSP's connect-src, so the browser blocks it (a known real-UI gap).
function lookupField(q) {
  const field = document.createElement('div');
  field.className = 'field';
  field.id = `${q.id}-lookup`;
  field.hidden = true;
  const input = Object.assign(document.createElement('input'), { type: 'text', id: `${q.id}-details` });
  input.addEventListener('input', () => {
    state.answers[`${q.id}Details`] = input.value;
  });
  field.append(Object.assign(document.createElement('label'), { htmlFor: input.id, textContent: 'Which medications?' }), input);
  return field;
}

function toggleLookup(q, on) {
  $(`${q.id}-lookup`).hidden = !on;
  if (!on) {
    delete state.answers[`${q.id}Details`];
    return;
  }
  fetch('https://api.fda.gov/drug/label.json?limit=1').catch(() => {
    // Blocked by the CSP; the free-text field still works.
  });
}

$('questionnaire').addEventListener('submit', (e) => {
  e.preventDefault();
  const missing = formFor(state.consent.type).questions.filter((q) => {
    const v = state.answers[q.id];
    return q.required && (v === undefined || (Array.isArray(v) && v.length === 0));
  });
  if (missing.length > 0) {
    return showError($('form-error'), `Please answer all required questions: ${missing.map((q) => q.label).join(', ')}.`);
  }
  showError($('form-error'), '');
  state.quizIndex = 0;
  state.quizAnswers = [];
  renderQuestion();
  show('quiz');
});

// ---- comprehension quiz -------------------------------------------------------------

function renderQuestion() {
  const quiz = formFor(state.consent.type).quiz;
  const q = quiz[state.quizIndex];
  state.selected = null;
  $('quiz-progress').textContent = `Question ${state.quizIndex + 1} of ${quiz.length}`;
  $('quiz-question').textContent = q.question;
  const options = $('quiz-options');
  options.replaceChildren();
  // As the real quiz: each answer carries a letter badge, part of its accessible name ("B3–6 months").
  const buttons = q.options.map((option, i) =>
    lettered(choiceButton(option, () => {
      state.selected = i;
      for (const [j, b] of buttons.entries()) b.setAttribute('aria-pressed', String(j === i));
      $('quiz-check').disabled = false;
    }), i),
  );
  options.append(...buttons);
  $('quiz-feedback').hidden = true;
  $('quiz-check').hidden = false;
  $('quiz-check').disabled = true;
  $('quiz-next').hidden = true;
  $('quiz-finish').hidden = true;
}

$('quiz-check').addEventListener('click', () => {
  const quiz = formFor(state.consent.type).quiz;
  const q = quiz[state.quizIndex];
  if (state.selected === null) return;
  const correct = state.selected === q.correctIndex;
  state.quizAnswers.push({ questionId: q.id, selectedIndex: state.selected, correct });
  for (const b of $('quiz-options').querySelectorAll('button')) b.disabled = true;
  const feedback = $('quiz-feedback');
  feedback.textContent = correct ? 'Correct!' : `Not quite. The correct answer is: ${q.options[q.correctIndex]}`;
  feedback.className = correct ? 'ok' : 'warn';
  feedback.hidden = false;
  $('quiz-check').hidden = true;
  const last = state.quizIndex === quiz.length - 1;
  $(last ? 'quiz-finish' : 'quiz-next').hidden = false;
  $(last ? 'quiz-finish' : 'quiz-next').focus();
});

$('quiz-next').addEventListener('click', () => {
  state.quizIndex += 1;
  renderQuestion();
});

$('quiz-finish').addEventListener('click', () => show('sign'));

// ---- signature ----------------------------------------------------------------------

const pad = new SignaturePad($('signature-pad'), (captured) => {
  $('signature-status').textContent = captured ? 'Signature captured' : '';
  $('sign-continue').disabled = !captured;
});
$('signature-clear').addEventListener('click', () => pad.clear());

$('sign-continue').addEventListener('click', () => {
  renderReview();
  show('review');
});

// ---- review and submit --------------------------------------------------------------

function score() {
  const correct = state.quizAnswers.filter((a) => a.correct).length;
  return { correct, total: state.quizAnswers.length, percent: Math.round((correct / state.quizAnswers.length) * 100) };
}

function renderReview() {
  const { patient } = state;
  const { correct, total } = score();
  const rows = [
    ['Treatment', treatmentLabel(state.consent.type)],
    ['Full name', patient.name],
    ['Date of birth', patient.dateOfBirth],
    ['Email', patient.email || '–'],
    ['Comprehension check', `${correct} of ${total} answered correctly`],
    ['Signature', 'Captured'],
  ];
  $('review-summary').replaceChildren(
    ...rows.flatMap(([k, v]) => [
      Object.assign(document.createElement('dt'), { textContent: k }),
      Object.assign(document.createElement('dd'), { textContent: v }),
    ]),
  );
}

async function submissionBody() {
  const { patient, answers } = state;
  const publicKey = typeof state.consent.practice.publicKey === 'string'
    ? JSON.parse(state.consent.practice.publicKey)
    : state.consent.practice.publicKey;
  const envelope = await encryptForPractice(JSON.stringify({ ...answers, signatureData: pad.toDataURL() }), publicKey);
  const body = {
    encryptedResponses: { iv: envelope.iv, ciphertext: envelope.ciphertext },
    encryptedSessionKey: envelope.encryptedSessionKey,
    encryptedPatientName: await encryptPatientField(patient.name, publicKey),
    encryptedPatientDob: await encryptPatientField(patient.dateOfBirth, publicKey),
    patientLookupHash: await patientLookupHash(patient.name, patient.dateOfBirth),
    comprehensionScore: score().percent,
    comprehensionAnswers: state.quizAnswers,
    locale: 'en',
  };
  if (patient.email) body.encryptedPatientEmail = await encryptPatientField(patient.email, publicKey);
  // Fault 'plaintext-at-rest': a build that also sent the answers in clear.
  if (FAULTS.has('plaintext-at-rest')) body.formData = { ...answers };
  // Fault 'canary-in-other-table': a debug aid that sent the patient's name in clear.
  if (FAULTS.has('canary-in-other-table')) body.debugContext = { patientName: patient.name };
  return body;
}

$('review-submit').addEventListener('click', async () => {
  const button = $('review-submit');
  const error = $('submit-error');
  showError(error, '');
  button.disabled = true;
  button.textContent = 'Submitting...';
  try {
    await api(`/api/consent/${encodeURIComponent(token)}/submit`, { method: 'POST', body: await submissionBody(), auth: false });
    show('done');
  } catch (err) {
    showError(
      error,
      err instanceof ApiError && err.errorCode === 'CONSENT_ALREADY_SUBMITTED'
        ? 'This consent form has already been submitted.'
        : 'Your consent could not be submitted. Please try again.',
    );
    button.disabled = false;
    button.textContent = 'Submit binding consent';
  }
});

void load();
