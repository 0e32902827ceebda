// Number, percent and time formatting, and a small element builder, shared by the panels.

const integer = new Intl.NumberFormat('en-US');

export const count = (n) => integer.format(n);

/** A percent with up to `digits` decimals, e.g. `percent(1.2345, 2)` → "1.23%". */
export function percent(value, digits = 2) {
  return `${Number(value.toFixed(digits))}%`;
}

/** UTC time, minutes precision: "2026-12-01 09:00 UTC". */
export function utc(ms) {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A date for a stage button: "1 Dec". */
export function day(ms) {
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** Creates an element with attributes and children (strings or nodes). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}
