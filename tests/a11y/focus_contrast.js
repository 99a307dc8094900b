// The focus indicator's contrast against what is behind the element: the best of the
// outline and box-shadow colours against the nearest opaque background up the tree.
(el => {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  let bgEl = el.parentElement, bg = [255, 255, 255];
  while (bgEl) {
    const c = rgb(getComputedStyle(bgEl).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
    bgEl = bgEl.parentElement;
  }
  const s = getComputedStyle(el);
  const colours = [];
  if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) colours.push(rgb(s.outlineColor).slice(0, 3));
  for (const m of s.boxShadow.matchAll(/rgba?\([^)]*\)/g)) colours.push(rgb(m[0]).slice(0, 3));
  return colours.length ? Math.max(...colours.map((c) => ratio(c, bg))) : 0;
})
