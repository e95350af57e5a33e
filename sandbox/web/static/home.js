// The landing page: shows the plans from the API (a cross-origin call, so CORS and CSP connect-src are exercised).
const api = document.querySelector('meta[name="dc-api-url"]').content;
const status = document.getElementById('plans-status');
const list = document.getElementById('plans');

const res = await fetch(`${api}/api/billing/plans`);
if (!res.ok) throw new Error(`Loading plans failed: HTTP ${res.status}`);
for (const plan of await res.json()) {
  const item = document.createElement('li');
  item.textContent = plan.name;
  list.append(item);
}
status.textContent = 'Choose your plan';
