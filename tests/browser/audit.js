// The design audit's page measurements (tests/browser/test_design_audit.py), one per
// `//@ NAME` section, each an arrow function Playwright evaluates.
//@ SMALL_TARGETS
() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const targets = [...document.querySelectorAll(sel)].filter(visible);
  const inSentence = el => el.tagName === 'A' && getComputedStyle(el).display === 'inline'
    && el.parentElement && el.parentElement.textContent.trim().length > el.textContent.trim().length;
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const meets = (c, r) => { const x = Math.max(r.left, Math.min(c[0], r.right));
    const y = Math.max(r.top, Math.min(c[1], r.bottom)); return Math.hypot(x - c[0], y - c[1]) < 12; };
  return targets.filter(el => {
    const r = el.getBoundingClientRect();
    if (r.width >= 24 && r.height >= 24) return false;
    if (inSentence(el) || el.closest('label') && el.tagName === 'INPUT' && el.closest('label').getBoundingClientRect().height >= 24) return false;
    const c = centre(r);
    return targets.some(o => o !== el && !o.contains(el) && !el.contains(o) && meets(c, o.getBoundingClientRect()));
  }).map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.name || '').trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`);
}
//@ WIDE
() => [...document.querySelectorAll('main *, header *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-3).map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)
//@ FIRST_VIEW
() => { const n = performance.getEntriesByType('navigation')[0];
  return n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : n.domContentLoadedEventEnd - n.startTime; }
//@ OVERFLOW
() => document.scrollingElement.scrollWidth - window.innerWidth
