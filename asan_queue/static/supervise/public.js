// The public transparency page: open data only (no login, no personal data), live: each
// center's `queue` message refreshes the load now.
import { api } from "/static/js/api.js";
import { loadI18n } from "/static/js/i18n.js";
import { subscribe } from "/static/js/live.js";
import { dash, el, pct, pick, setLive } from "./common.js";

const root = document.getElementById("public");
const lang = root.dataset.lang;
const i18n = await loadI18n(lang);

// Names by code, from the public center details (open data itself is language-neutral).
const names = { center: {}, agency: {}, service: {} };
await Promise.all(root.dataset.centers.split(",").filter(Boolean).map(async (slug) => {
  const res = await api(`/api/v1/centers/${slug}`, { lang });
  if (!res.ok) return;
  names.center[slug] = pick(res.data.name, lang);
  for (const a of res.data.agencies) names.agency[a.code] = pick(a.name, lang);
  for (const x of res.data.services) names.service[`${slug}/${x.code}`] = pick(x.name, lang);
}));

function cards(target, columns, rows, fields) {
  const idx = Object.fromEntries(columns.map((c, i) => [c, i]));
  const byCenter = new Map();
  for (const r of rows) {
    const slug = r[idx.center];
    if (!byCenter.has(slug)) byCenter.set(slug, []);
    byCenter.get(slug).push(r);
  }
  const sections = [...byCenter].map(([slug, list]) => el("section", { class: "pub-center" },
    el("h3", {}, names.center[slug] || slug),
    el("ul", { class: "pub-list" }, ...list.map((r) => el("li", { class: "pub-card" },
      el("strong", {}, names.service[`${slug}/${r[idx.service]}`] || r[idx.service]),
      el("span", { class: "pub-agency" }, names.agency[r[idx.agency]] || r[idx.agency]),
      el("dl", {}, ...fields.flatMap(([c, fmt]) => [el("dt", {}, i18n.t(`sv.col.${c}`)), el("dd", {}, fmt(r[idx[c]]))])))))));
  document.getElementById(target).replaceChildren(...(sections.length ? sections : [el("p", {}, i18n.t("sv.no_rows"))]));
}

const minutes = (v) => (v === null || v === undefined ? "—" : i18n.t("sv.minutes", { n: v }));

async function loadNow() {
  const res = await api("/api/v1/open-data/load", { lang });
  if (res.ok) cards("load", res.data.columns, res.data.rows.filter((r) => r[3] > 0 || r[5] > 0 || r[6] > 0),
    [["waiting", dash], ["eta_minutes", minutes], ["open_counters", dash], ["service_level_today", pct]]);
}

async function loadToday() {
  const day = new Date().toISOString().slice(0, 10);
  const res = await api(`/api/v1/open-data/daily?from=${day}&to=${day}`, { lang });
  if (res.ok) cards("daily", res.data.columns, res.data.rows,
    [["served", dash], ["median_wait_minutes", minutes], ["service_level", pct], ["satisfaction", dash]]);
  document.getElementById("csv-link").href = `/api/v1/open-data/daily?format=csv&from=${day}&to=${day}`;
}

async function loadRanking() {
  const month = new Date().toISOString().slice(0, 7);
  const center = document.getElementById("ranking-center").value;
  const q = new URLSearchParams({ month, ...(center ? { center } : {}) });
  const res = await api(`/api/v1/open-data/ranking?${q}`, { lang });
  if (!res.ok) return;
  const items = res.data.rows.map((r) => el("li", { class: "pub-rank" },
    el("span", { class: "pub-rank-n" }, `${r[0]}.`), " ",
    el("span", {}, r[{ az: 2, ru: 3, en: 4 }[lang]] || r[1]), " — ",
    el("span", {}, i18n.t("pub.served_n", { n: r[5] })),
    r[6] === null ? "" : el("span", {}, ` · ${i18n.t("pub.satisfaction_n", { n: r[6] })}`)));
  document.getElementById("ranking").replaceChildren(
    items.length ? el("ol", { class: "pub-ranking" }, ...items) : el("p", {}, i18n.t("sv.no_rows")));
}

document.getElementById("ranking-center").addEventListener("change", loadRanking);
loadNow();
loadToday();
loadRanking();
let pending = null;
const refresh = () => {
  // A burst of queue messages costs one read of the load.
  if (pending) return;
  pending = setTimeout(() => { pending = null; loadNow(); }, 300);
};
for (const slug of root.dataset.centers.split(",").filter(Boolean)) {
  subscribe({ center: slug }, { snapshot: refresh, queue: refresh, ticket_called: refresh, status: (on) => setLive(i18n, on) });
}
