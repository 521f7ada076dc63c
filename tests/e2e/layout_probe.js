// What the layout sweep (test_layout_sweep.py) measures on the screen on show, at the width the
// test set: one string per problem, each naming the element, its text and its box.
(width) => {
  const problems = [];
  const SLACK = 0.5; // sub-pixel rounding
  const MIN_TARGET = 44; // WCAG 2.5.5 / Apple HIG, CSS px
  const box = (r) => `x=${Math.round(r.left)} y=${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += `#${el.id}`;
    for (const c of el.classList) name += `.${c}`;
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    return `${name} "${text.slice(0, 24)}${text.length > 24 ? '…' : ''}"`;
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: false });
  };
  const clips = (style) => ['hidden', 'clip', 'auto', 'scroll'].includes(style.overflowX);
  const all = [...document.body.querySelectorAll('*')].filter(shown);

  // 1. Nothing past the right (or left) edge, unless an ancestor that fits clips or scrolls it.
  const past = all.filter((el) => {
    const r = el.getBoundingClientRect();
    if (r.right <= width + SLACK && r.left >= -SLACK) return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const u = up.getBoundingClientRect();
      if (clips(getComputedStyle(up)) && u.right <= width + SLACK && u.left >= -SLACK) return false;
    }
    return true;
  });
  // The innermost offenders are the culprits: their ancestors only grew around them.
  for (const el of past.filter((el) => !past.some((other) => other !== el && el.contains(other))).slice(0, 8)) {
    problems.push(`past the edge: ${describe(el)} at ${box(el.getBoundingClientRect())}`);
  }
  const scroll = document.documentElement.scrollWidth;
  if (scroll > width) problems.push(`the page scrolls sideways: scrollWidth ${scroll} > ${width} (innerWidth ${innerWidth})`);

  // 2. Every control at least 44×44, or a padded hit area that size: its label, or an absolutely
  // placed ::before/::after around it.
  const hitArea = (el) => {
    const r = el.getBoundingClientRect();
    let { left, top, right, bottom } = r;
    for (const pseudo of ['::before', '::after']) {
      const s = getComputedStyle(el, pseudo);
      if (s.content === 'none' || s.position !== 'absolute') continue;
      left = Math.min(left, r.left + parseFloat(s.left));
      top = Math.min(top, r.top + parseFloat(s.top));
      right = Math.max(right, r.right - parseFloat(s.right));
      bottom = Math.max(bottom, r.bottom - parseFloat(s.bottom));
    }
    const label = el.closest('label') || el.labels?.[0];
    if (label && label !== el && shown(label)) {
      const l = label.getBoundingClientRect();
      [left, top, right, bottom] = [Math.min(left, l.left), Math.min(top, l.top), Math.max(right, l.right), Math.max(bottom, l.bottom)];
    }
    return { width: right - left, height: bottom - top };
  };
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], label';
  for (const el of all.filter((el) => el.matches(controls))) {
    if (el.tagName === 'LABEL' && !el.control) continue; // only labels that work an input
    const hit = hitArea(el);
    if (hit.width + SLACK < MIN_TARGET || hit.height + SLACK < MIN_TARGET) {
      problems.push(`target under ${MIN_TARGET}×${MIN_TARGET}: ${describe(el)} at ${box(el.getBoundingClientRect())}`);
    }
  }

  // 3. No text cut off: a box that hides overflowing text must say so with an ellipsis or a line
  // clamp, and the whole text must be at hand (a title attribute on it or around it).
  for (const el of all) {
    const style = getComputedStyle(el);
    const hides = [style.overflowX, style.overflowY].some((o) => o === 'hidden' || o === 'clip');
    if (!hides || !el.innerText?.trim()) continue;
    const cut = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    if (!cut) continue;
    const marked = style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none';
    if (marked && el.closest('[title]')) continue;
    problems.push(
      `text cut off${marked ? ' (no title with the full text)' : ''}: ${describe(el)} at ${box(el.getBoundingClientRect())}` +
        ` shows ${el.clientWidth}×${el.clientHeight} of ${el.scrollWidth}×${el.scrollHeight}`,
    );
  }
  return problems;
};
