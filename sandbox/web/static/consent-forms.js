// The consent forms per treatment type: questionnaire and comprehension quiz, with the
// English texts of the real UI (docs/targets/dermaconsent.md, "The web UI"). Answers are stored under the
// question ids; the dashboard's detail dialog uses the same labels to show them.

export const TREATMENT_TYPES = [
  { type: 'BOTOX', label: 'Botox / Botulinum toxin' },
  { type: 'FILLER', label: 'Dermal Filler' },
  { type: 'LASER', label: 'Laser treatment' },
  { type: 'CHEMICAL_PEEL', label: 'Chemical peel' },
  { type: 'MICRONEEDLING', label: 'Microneedling' },
  { type: 'PRP', label: 'PRP (Platelet-rich plasma)' },
];

export function treatmentLabel(type) {
  return TREATMENT_TYPES.find((t) => t.type === type)?.label ?? type;
}

const ALLERGIES = {
  id: 'allergies', label: 'Known allergies', required: true, kind: 'single',
  options: ['No, none', 'Yes, to ingredients of the product', 'Yes, other allergies'],
};
const MEDICATIONS = {
  // "Yes" opens the medication search, which calls an outside service (see consent-wizard.js).
  id: 'medications', label: 'Current medications', kind: 'single', lookup: 'Yes',
  options: ['No medications', 'Yes'],
};
const PREGNANCY = { id: 'pregnancy', label: 'Pregnancy / Breastfeeding', kind: 'single', options: ['No', 'Yes'] };
const BLOOD_THINNERS = { id: 'bloodThinners', label: 'Taking blood thinners', kind: 'single', options: ['No', 'Yes'] };
const NONE = 'None of the above';

const GENERIC_QUIZ = [
  {
    id: 'q1', question: 'Can you withdraw your consent before the treatment?',
    options: ['Yes, at any time before the treatment', 'No, the consent is final'], correctIndex: 0,
  },
  {
    id: 'q2', question: 'What should you do if you notice unusual side effects after the treatment?',
    options: ['Wait a few months', 'Contact the practice immediately'], correctIndex: 1,
  },
  {
    id: 'q3', question: 'Are the results of the treatment guaranteed?',
    options: ['Yes, always', 'No, results vary from person to person'], correctIndex: 1,
  },
];

function genericForm(areas, textId, textLabel) {
  return {
    questions: [
      { id: 'treatmentAreas', label: 'Treatment areas', required: true, kind: 'multi', options: areas },
      ALLERGIES,
      MEDICATIONS,
      {
        id: 'medicalHistory', label: 'Relevant medical history', required: true, kind: 'multi', exclusive: NONE,
        options: ['Autoimmune disease', 'Skin infection in the treatment area', 'Tendency to keloid scars', NONE],
      },
      PREGNANCY,
      { id: textId, label: textLabel, kind: 'text' },
    ],
    quiz: GENERIC_QUIZ,
  };
}

const FORMS = {
  BOTOX: {
    questions: [
      {
        id: 'treatmentAreas', label: 'Treatment areas', required: true, kind: 'multi',
        options: ['Forehead (Frontalis)', 'Glabella (frown lines)', "Crow's feet (Orbicularis oculi)", 'Masseter', 'Other'],
      },
      ALLERGIES,
      MEDICATIONS,
      {
        id: 'medicalHistory', label: 'Relevant medical history', required: true, kind: 'multi', exclusive: NONE,
        options: ['Neuromuscular disease (e.g. myasthenia gravis)', 'Bleeding disorder', 'Infection at the injection site', NONE],
      },
      PREGNANCY,
      BLOOD_THINNERS,
      { id: 'previousBotox', label: 'Previous Botox treatments', kind: 'text' },
    ],
    quiz: [
      {
        id: 'botox-duration', question: 'How long do the effects of Botox typically last?',
        options: ['1–2 weeks', '3–6 months', 'Permanently'], correctIndex: 1,
      },
      {
        id: 'botox-side-effects', question: 'Which side effect is common and temporary?',
        options: ['Permanent facial paralysis', 'Temporary bruising at the injection site', 'Hair loss'], correctIndex: 1,
      },
      {
        id: 'botox-permanence', question: 'Is the effect of Botox permanent?',
        options: ['Yes, it lasts a lifetime', 'No, effects wear off naturally over time'], correctIndex: 1,
      },
    ],
  },
  FILLER: genericForm(['Lips', 'Nasolabial folds', 'Cheeks', 'Chin', 'Other'], 'previousFiller', 'Previous filler treatments'),
  LASER: genericForm(['Face', 'Neck', 'Décolleté', 'Hands', 'Other'], 'notes', 'Additional notes'),
  CHEMICAL_PEEL: genericForm(['Face', 'Neck', 'Décolleté', 'Other'], 'notes', 'Additional notes'),
  MICRONEEDLING: genericForm(['Face', 'Neck', 'Scalp', 'Scars', 'Other'], 'notes', 'Additional notes'),
  PRP: genericForm(['Face', 'Scalp (hair loss)', 'Under-eye area', 'Other'], 'notes', 'Additional notes'),
};

export function formFor(type) {
  return FORMS[type] ?? FORMS.FILLER;
}

/** The question label for an answer key (any type), for showing decrypted answers. */
export function answerLabel(key) {
  for (const form of Object.values(FORMS)) {
    const q = form.questions.find((x) => x.id === key);
    if (q) return q.label;
  }
  return key;
}
