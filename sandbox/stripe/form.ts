/**
 * Stripe's form encoding, as the official client writes it:
 * `line_items[0][price]=x&metadata[practiceId]=y&created[gte]=1`. Objects whose
 * keys are all indices become arrays.
 */
type Tree = { [key: string]: Tree | string };

function toArrays(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const values = Object.fromEntries(keys.map((k) => [k, toArrays(node[k] as Tree | string)]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => values[k]);
  }
  return values;
}

export function parseStripeForm(params: URLSearchParams): Record<string, unknown> {
  const root: Tree = {};
  for (const [name, value] of params) {
    const parts = name.replace(/\]/g, '').split('[');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else {
        const next = node[part];
        node = (typeof next === 'object' ? next : (node[part] = {})) as Tree;
      }
    });
  }
  return toArrays(root) as Record<string, unknown>;
}
