// Reports: the stats API's tables over a range, two charts (uPlot, from npm), and every
// table downloadable as CSV and JSON.
import uPlot from "/vendor/uPlot.esm.js";
import { api } from "/static/js/api.js";
import { loadI18n } from "/static/js/i18n.js";
import { dash, el } from "./common.js";

const form = document.getElementById("report-form");
const lang = form.dataset.lang;
const i18n = await loadI18n(lang);
const status = document.getElementById("report-status");
const charts = [];

const iso = (d) => d.toISOString().slice(0, 10);
const today = new Date();
form.elements.to.value = iso(today);
form.elements.from.value = iso(new Date(today.getTime() - 29 * 86400000));

function query(extra = {}) {
  const f = new FormData(form);
  const params = new URLSearchParams({ from: f.get("from"), to: f.get("to"), bucket: f.get("bucket"), by: f.get("by"), ...extra });
  return `/api/v1/centers/${encodeURIComponent(f.get("center"))}/stats?${params}`;
}

function chart(target, title, xLabel, labels, series) {
  const box = document.getElementById(target);
  box.replaceChildren();
  const width = Math.max(Math.min(box.clientWidth || 600, 1200), 280);
  const label = (x) => (x == null ? undefined : labels[Math.round(x)]); // x is a row's index
  const opts = {
    width, height: 260, title,
    scales: { x: { time: false } },
    axes: [{ values: (u, ticks) => ticks.map((t) => label(t) ?? "") }, {}],
    // The legend names the x value in the page's language ("Time", "Day"), not uPlot's "Value".
    series: [{ label: xLabel, value: (u, v) => label(v) ?? "--" }, ...series.map((s, i) => ({ label: s.label, stroke: ["#0b5cad", "#b3261e"][i], width: 2 }))],
  };
  charts.push(new uPlot(opts, [labels.map((_, i) => i), ...series.map((s) => s.values)], box));
}

function tableView(t) {
  const head = el("tr", {}, ...t.columns.map((c) => el("th", { scope: "col" }, i18n.t(`sv.col.${c}`))));
  const body = t.rows.map((r) => el("tr", {}, ...r.map((v) => el("td", {}, dash(v)))));
  const csv = el("a", { href: query({ format: "csv", table: t.name }), download: "" }, i18n.t("sv.download_csv"));
  const json = el("a", { href: query({ table: t.name }), download: `${t.name}.json` }, i18n.t("sv.download_json"));
  return el("div", { class: "sv-report-table" },
    el("h2", { id: `t-${t.name}` }, i18n.t(`sv.table.${t.name}`)),
    el("p", { class: "sv-downloads" }, csv, " · ", json),
    el("div", { class: "sv-scroll", tabindex: "0", role: "region", "aria-label": i18n.t(`sv.table.${t.name}`) },
      el("table", {}, el("thead", {}, head), el("tbody", {}, ...(body.length ? body : [el("tr", {}, el("td", { colspan: String(t.columns.length) }, i18n.t("sv.no_rows")))])))));
}

async function load(ev) {
  ev?.preventDefault();
  status.textContent = i18n.t("sv.loading");
  const res = await api(query(), { lang });
  if (!res.ok) {
    status.textContent = i18n.t(`errors.${res.error.code}`) || res.error.code;
    return;
  }
  const tables = Object.fromEntries(res.data.tables.map((t) => [t.name, t]));
  while (charts.length) charts.pop().destroy();
  const a = tables.arrivals;
  chart("chart-arrivals", i18n.t("sv.chart_arrivals"), i18n.t("sv.col.time"), a.rows.map((r) => r[0]),
    [{ label: i18n.t("sv.col.arrivals"), values: a.rows.map((r) => r[1]) }, { label: i18n.t("sv.col.calls"), values: a.rows.map((r) => r[2]) }]);
  const d = tables.days;
  chart("chart-days", i18n.t("sv.chart_days"), i18n.t("sv.col.day"), d.rows.map((r) => r[0].slice(5)),
    [{ label: i18n.t("sv.col.done"), values: d.rows.map((r) => r[2]) }, { label: i18n.t("sv.col.wait_p50"), values: d.rows.map((r) => r[4]) }]);
  document.getElementById("tables").replaceChildren(...res.data.tables.map(tableView));
  status.textContent = i18n.t("sv.loaded");
}

form.addEventListener("submit", load);
load();
