// The layout checks of the browser test (crates/cabinet/tests/browser/pages.rs), run in the
// page through WebDriver's execute. Returns {width, height, lang, wide: [...], overflow: [...],
// overlap: [...]}, each finding a short text naming the element(s).
//
// - wide: the document is wider than the viewport; lists the outermost elements whose right
//   edge is beyond it (those that are not inside a box that scrolls or clips them).
// - overflow: an element with text of its own whose content leaves its box (scrollWidth beyond
//   clientWidth where overflow is visible, hidden or clip; a text line outside the element's
//   border box; or outside its card). Boxes that may scroll (overflow auto/scroll, such as
//   .table-wrap) are allowed to hold wider content.
// - overlap: two visible text lines (or a text line and a form control) of elements that are
//   not ancestor and descendant intersect. An open popover menu is meant to cover the page and
//   is left out.
const W = window.innerWidth;
const H = window.innerHeight;
const TOL = 1;

const described = new Map();
function describe(el, withText = true) {
  if (withText && described.has(el)) return described.get(el);
  const parts = [];
  let e = el;
  for (let depth = 0; e && e.nodeType === 1 && depth < 4; depth++, e = e.parentElement) {
    let s = e.tagName.toLowerCase();
    if (e.id) { parts.unshift(s + '#' + e.id); break; }
    const cls = Array.from(e.classList).slice(0, 3).join('.');
    if (cls) s += '.' + cls;
    parts.unshift(s);
    if (e === document.body) break;
  }
  if (!withText) return parts.join(' > ');
  let text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim();
  if (text.length > 50) text = text.slice(0, 47) + '…';
  const d = parts.join(' > ') + (text ? ' «' + text + '»' : '');
  described.set(el, d);
  return d;
}

function rectText(r) {
  return '[' + Math.round(r.left) + ',' + Math.round(r.top) + ' ' + Math.round(r.width) + '×' + Math.round(r.height) + ']';
}

// Hidden from sight: display none, visibility hidden, the visually-hidden pattern (a box of
// at most 1 px that clips), clip rect(0 0 0 0), or inside a closed <details> or [hidden].
const hiddenCache = new Map();
function hidden(el) {
  if (!el || el.nodeType !== 1 || el === document.documentElement) return false;
  if (hiddenCache.has(el)) return hiddenCache.get(el);
  let h = false;
  const cs = getComputedStyle(el);
  // checkVisibility: display none, content-visibility hidden (a closed <details>' content).
  if (el.checkVisibility && !el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) h = true;
  else if (cs.display === 'none' || cs.visibility === 'hidden' || cs.visibility === 'collapse' || parseFloat(cs.opacity) === 0) h = true;
  else if (el.classList.contains('visually-hidden') || el.classList.contains('sr-only')) h = true;
  else if (cs.position === 'absolute' && (cs.clip === 'rect(0px, 0px, 0px, 0px)' || cs.clipPath === 'inset(50%)')) h = true;
  else if (el.offsetWidth <= 1 && el.offsetHeight <= 1 && (cs.overflow === 'hidden' || cs.overflow === 'clip') && cs.position === 'absolute') h = true;
  else h = hidden(el.parentElement);
  hiddenCache.set(el, h);
  return h;
}

function scrolls(cs) {
  return cs.overflowX === 'auto' || cs.overflowX === 'scroll';
}
function clips(cs) {
  return cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
}

// Elements inside an open popover menu (the design system's .menu-list, or the older
// details.row-menu's list) cover others by design.
function inOpenMenu(el) {
  const m = el.closest('.menu-list, .row-menu details[open] > ul, [role="menu"], [popover]');
  return !!m && !m.hidden;
}

function ownTextNodes(el) {
  const out = [];
  for (const n of el.childNodes) {
    if (n.nodeType === 3 && n.nodeValue.trim() !== '') out.push(n);
  }
  return out;
}

function textRects(node) {
  const range = document.createRange();
  range.selectNodeContents(node);
  return Array.from(range.getClientRects()).filter(r => r.width > 0.5 && r.height > 0.5);
}

function intersect(a, b) {
  const left = Math.max(a.left, b.left), right = Math.min(a.right, b.right);
  const top = Math.max(a.top, b.top), bottom = Math.min(a.bottom, b.bottom);
  if (right - left <= 0 || bottom - top <= 0) return null;
  return { left, right, top, bottom, width: right - left, height: bottom - top };
}

// The visible part of a rect: cut by every ancestor that clips or scrolls.
function visiblePart(el, r) {
  let out = { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
    const cs = getComputedStyle(a);
    if (clips(cs)) {
      out = intersect(out, a.getBoundingClientRect());
      if (!out) return null;
    }
  }
  return out;
}

// The nearest ancestor box the element's text must stay in (a card or a section of the page).
function cardOf(el) {
  return el.closest('.card, section, dialog, .notice, .error-summary');
}

// Between el and its card, a box that scrolls (a .table-wrap): the text may go wider there.
function scrollerBetween(el, stop) {
  for (let a = el; a && a !== stop; a = a.parentElement) {
    if (scrolls(getComputedStyle(a))) return a;
  }
  return null;
}

const result = {
  width: W,
  height: H,
  lang: document.documentElement.lang,
  scrollWidth: document.documentElement.scrollWidth,
  wide: [],
  overflow: [],
  overlap: [],
};

const all = Array.from(document.body.querySelectorAll('*')).filter(
  el => !['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'BR', 'WBR'].includes(el.tagName),
);

// 1. Wider than the viewport.
if (document.documentElement.scrollWidth > W + TOL) {
  const sticking = [];
  for (const el of all) {
    if (hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= W + TOL || r.width === 0) continue;
    // Inside a box that scrolls or clips (and that itself fits): does not widen the page.
    let contained = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (clips(getComputedStyle(a))) { contained = true; break; }
    }
    if (contained) continue;
    const p = el.parentElement;
    const parentSticks = p && p !== document.body && p.getBoundingClientRect().right > W + TOL;
    if (!parentSticks) sticking.push({ el, right: r.right });
  }
  sticking.sort((a, b) => b.right - a.right);
  result.wide.push('document ' + document.documentElement.scrollWidth + ' px wide in a ' + W + ' px viewport');
  for (const s of sticking.slice(0, 6)) {
    result.wide.push(describe(s.el) + ' reaches ' + Math.round(s.right) + ' px');
  }
  // What no visible element explains: the elements that reach the document's right edge
  // even though they are hidden or inside a box that clips them.
  const reached = sticking.length ? sticking[0].right : 0;
  const sw = document.documentElement.scrollWidth;
  if (reached < sw - TOL) {
    const far = all.map(el => ({ el, right: el.getBoundingClientRect().right }))
      .filter(x => x.right >= sw - TOL)
      .sort((a, b) => b.right - a.right);
    for (const x of far.slice(0, 3)) {
      result.wide.push(describe(x.el) + ' (hidden, or inside a box that clips it) reaches ' + Math.round(x.right) + ' px');
    }
  }
}

// 2. Text that leaves its box; 3. collected text lines for the overlap check.
const lines = [];
for (const el of all) {
  const texts = ownTextNodes(el);
  const control = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.type !== 'hidden';
  if (!texts.length && !control) continue;
  if (hidden(el)) continue;
  const cs = getComputedStyle(el);
  if (control) {
    const r = el.getBoundingClientRect();
    const v = r.width > 0 && visiblePart(el, r);
    if (v) lines.push({ el, r: v });
    continue;
  }
  // Overflow of the element's own box (block-level boxes; inline ones have no clientWidth).
  if (cs.display !== 'inline' && !scrolls(cs) && cs.textOverflow !== 'ellipsis' && el.clientWidth > 0) {
    if (el.scrollWidth > el.clientWidth + TOL) {
      result.overflow.push(describe(el) + ': content ' + el.scrollWidth + ' px wide in a ' + el.clientWidth + ' px box');
      continue;
    }
    if ((cs.overflowY === 'hidden' || cs.overflowY === 'clip') && el.scrollHeight > el.clientHeight + TOL) {
      result.overflow.push(describe(el) + ': text clipped, ' + el.scrollHeight + ' px tall in a ' + el.clientHeight + ' px box');
      continue;
    }
  }
  const box = el.getBoundingClientRect();
  const card = cardOf(el);
  // An open popover menu is placed over the page, outside its card, by design.
  const cardBox = card && !scrollerBetween(el, card) && !inOpenMenu(el) ? card.getBoundingClientRect() : null;
  let reported = false;
  for (const t of texts) {
    for (const r of textRects(t)) {
      if (!reported && cs.display !== 'inline' && !scrolls(cs) && cs.textOverflow !== 'ellipsis' &&
          (r.right > box.right + TOL || r.left < box.left - TOL)) {
        result.overflow.push(describe(el) + ': text line ' + rectText(r) + ' outside its box ' + rectText(box));
        reported = true;
      }
      if (!reported && cardBox && (r.right > cardBox.right + TOL || r.left < cardBox.left - TOL)) {
        result.overflow.push(describe(el) + ': text line ' + rectText(r) + ' outside its card ' + describe(card, false) + ' ' + rectText(cardBox));
        reported = true;
      }
      if (inOpenMenu(el)) continue;
      const v = visiblePart(el, r);
      if (v) lines.push({ el, r: v });
    }
  }
}

// 3. Overlap: lines of different elements, neither inside the other.
const seen = new Set();
lines.sort((a, b) => a.r.top - b.r.top);
for (let i = 0; i < lines.length; i++) {
  const a = lines[i];
  for (let j = i + 1; j < lines.length; j++) {
    const b = lines[j];
    if (b.r.top >= a.r.bottom - TOL) break;
    if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
    const x = intersect(a.r, b.r);
    if (!x || x.width <= 2 || x.height <= 2) continue;
    // A label wrapping its own control, or a control and its own label: not an overlap.
    const key = describe(a.el) + ' ⟷ ' + describe(b.el);
    if (seen.has(key)) continue;
    seen.add(key);
    result.overlap.push(key + ' at ' + rectText(x));
  }
}

result.overflow = result.overflow.slice(0, 30);
result.overlap = result.overlap.slice(0, 30);
return result;
