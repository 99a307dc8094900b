// Shared by the supervision pages: DOM helpers that only ever set text (names, comments and
// reasons are shown as text, never as HTML), and number formats.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

export function pct(share) {
  return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
}

export function dash(v) {
  return v === null || v === undefined || v === "" ? "—" : String(v);
}

export function pick(names, lang) {
  return (names && (names[lang] || names.az || Object.values(names)[0])) || "";
}

export function setLive(i18n, on) {
  const live = document.getElementById("live");
  if (!live) return;
  live.textContent = i18n.t(on ? "sv.live_on" : "sv.live_off");
  live.className = `sv-pill ${on ? "on" : "off"}`;
}

export function alertText(i18n, a) {
  return i18n.t(`sv.alert.${a.kind}`, { subject: a.subject, minutes: a.minutes ?? "", count: a.count ?? "" });
}
