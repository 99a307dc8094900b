// The supervisor's live dashboard: the `supervise:<slug>` room's snapshot, then a
// `dashboard` message whenever the server sees a change (no polling).
import { loadI18n } from "/static/js/i18n.js";
import { subscribe } from "/static/js/live.js";
import { alertText, dash, el, pct, pick, setLive } from "./common.js";
import { mountControls } from "./controls.js";

const root = document.getElementById("dashboard");
const slug = root.dataset.center;
const lang = root.dataset.lang;
const i18n = await loadI18n(lang);

function serviceRow(s) {
  const over = s.over_target;
  const longest = s.longest_wait_minutes === null ? "—"
    : i18n.t("sv.minutes_of", { n: s.longest_wait_minutes, target: s.target_wait_minutes });
  return el("tr", {},
    el("td", {}, pick(s.agency_name, lang)),
    el("td", {}, pick(s.name, lang)),
    el("td", { "data-field": "waiting" }, String(s.waiting)),
    el("td", { class: over ? "sv-bad" : "sv-ok", "data-field": "longest" }, longest,
      s.longest_wait_minutes === null ? ""
        : el("span", { class: "sv-flag" }, ` ${i18n.t(over ? "sv.over_target" : "sv.within_target")}`)),
    el("td", { "data-field": "served" }, String(s.served_today)),
    el("td", {}, pct(s.service_level)),
    el("td", {}, s.eta_minutes === null ? "—" : i18n.t("sv.minutes", { n: s.eta_minutes })),
    el("td", {}, String(s.no_shows)),
    el("td", {}, String(s.open_counters)),
  );
}

function counterRow(c) {
  const pause = c.state === "paused"
    ? `${dash(c.pause_reason)} · ${i18n.t("sv.minutes", { n: c.paused_minutes ?? 0 })}` : "—";
  return el("tr", {},
    el("td", {}, String(c.counter)),
    el("td", { class: `sv-state-${c.state}` }, i18n.t(`sv.counter_state.${c.state}`)),
    el("td", {}, dash(c.operator)),
    el("td", {}, c.ticket ? `${c.ticket} (${i18n.t(`sv.ticket_status.${c.ticket_status}`)})` : "—"),
    el("td", {}, c.at_counter_minutes === null ? "—" : i18n.t("sv.minutes", { n: c.at_counter_minutes })),
    el("td", {}, pause),
  );
}

function render(d) {
  document.getElementById("total-waiting").textContent = String(d.waiting);
  document.getElementById("total-served").textContent = String(d.served_today);
  document.getElementById("total-level").textContent = pct(d.service_level);
  document.querySelector("#services tbody").replaceChildren(...d.services.map(serviceRow));
  document.querySelector("#counters tbody").replaceChildren(...d.counters.map(counterRow));
  const serviceNames = Object.fromEntries(d.services.map((x) => [x.service, pick(x.name, lang)]));
  const alerts = d.alerts.map((a) => el("li", { class: "sv-alert", "data-kind": a.kind },
    alertText(i18n, { ...a, subject: serviceNames[a.subject] || a.subject })));
  document.getElementById("alerts").replaceChildren(
    ...(alerts.length ? alerts : [el("li", { class: "sv-none" }, i18n.t("sv.no_alerts"))]));
  const devices = d.devices.map((x) => el("li", {},
    `${i18n.t(`sv.device.${x.kind}`)} ${x.name}: `,
    el("span", { class: x.connected ? "sv-ok" : "sv-bad" }, i18n.t(x.connected ? "sv.connected" : "sv.dropped")),
    ` · ${i18n.t("sv.last_seen")} ${new Date(x.last_seen_at).toLocaleTimeString(lang)}`));
  document.getElementById("devices").replaceChildren(
    ...(devices.length ? devices : [el("li", { class: "sv-none" }, i18n.t("sv.no_devices"))]));
  root.dataset.seq = String(d.seq ?? "");
}

subscribe({ supervise: slug }, {
  snapshot: render,
  dashboard: render,
  status: (on) => setLive(i18n, on),
});


// The supervisor's controls (open, pause, close counters; move, prioritise, call tickets)
// live on the same page, below the live figures.
mountControls(document.getElementById("controls"), slug, { lang });
