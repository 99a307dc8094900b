// The operator desk: work one counter through the JSON API (session cookie + X-CSRFToken)
// and follow it live from the `counter:<id>` room. Every failure is explained in the page
// (role=alert), every success announced politely (role=status).
import { subscribe } from "/static/js/live.js";
import { loadI18n, formatTime } from "/static/js/i18n.js";
import { api as request, errorText } from "/static/js/api.js";

const root = document.getElementById("desk");
const counterId = Number(root.dataset.counterId);
const timezone = root.dataset.timezone;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);
const buttons = Object.fromEntries(
  [...document.querySelectorAll("[data-action]")].map((b) => [b.dataset.action, b]),
);
let i18n = null;
let state = null; // the latest counter snapshot/event
let busy = false;
let refused = false; // this desk was refused the counter (open at another desk)

function say(key, values = {}) {
  $("problem").textContent = "";
  $("message").textContent = i18n.t(key, values);
}

function complain(text) {
  $("message").textContent = "";
  $("problem").textContent = text;
}

function explain(error) {
  if (error.code === "network") return i18n.t("desk.err.network");
  return errorText(i18n, error, "desk.err.failed");
}

async function api(action, body = {}) {
  const res = await request(`/api/v1/counters/${counterId}/${action}`, {
    body,
    lang: i18n.lang,
    headers: { "X-CSRFToken": csrf },
  });
  return { ok: res.ok, status: res.status, body: res.data, error: res.error };
}

function elapsed(sinceIso) {
  const secs = Math.max(0, Math.floor((Date.now() - Date.parse(sinceIso)) / 1000));
  const m = Math.floor(secs / 60);
  const s = String(secs % 60).padStart(2, "0");
  return `${m}:${s}`;
}

function renderTimes() {
  const cur = state?.current;
  if (!cur) {
    $("current-times").textContent = "";
    return;
  }
  const parts = [];
  if (cur.waited_minutes !== null && cur.waited_minutes !== undefined) {
    parts.push(i18n.t("desk.waited", { n: cur.waited_minutes }));
  }
  if (cur.service_started_at) parts.push(i18n.t("desk.serving_for", { time: elapsed(cur.service_started_at) }));
  else if (cur.called_at) {
    parts.push(i18n.t("desk.called_at", { time: formatTime(cur.called_at, timezone, i18n.lang) }));
    parts.push(i18n.t("desk.calls", { n: cur.call_count }));
  }
  $("current-times").textContent = parts.join(" · ");
}

function enable(names) {
  for (const [name, button] of Object.entries(buttons)) {
    const on = names.includes(name);
    button.hidden = !on;
    button.disabled = !on || busy;
  }
}

function render() {
  if (!state) return;
  const { counter, current, waiting } = state;
  $("counter-state").textContent = i18n.t(`desk.state.${counter.state}`);
  $("counter-state").dataset.state = counter.state;
  $("served-today").textContent = i18n.t("desk.served_today", { n: state.served_today });
  $("current-number").textContent = current ? current.number : "—";
  $("current-service").textContent = current ? i18n.pick(current.service_name) : "";
  $("current-status").textContent = current ? i18n.t(`ticket.status.${current.status}`) : "";
  $("no-current").hidden = Boolean(current);
  $("current").dataset.status = current ? current.status : "none";
  renderTimes();

  const list = $("waiting-list");
  list.replaceChildren(
    ...waiting.map((w) => {
      const li = document.createElement("li");
      const num = document.createElement("strong");
      num.textContent = w.number;
      const name = document.createElement("span");
      name.textContent = i18n.pick(w.service_name);
      const meta = document.createElement("span");
      meta.className = "muted";
      const tags = [`${w.waited_minutes} ${i18n.t("unit.min")}`];
      if (w.priority) tags.push(i18n.t(`priority.${w.priority}`));
      if (w.booked) tags.push(i18n.t("desk.booked"));
      meta.textContent = tags.join(" · ");
      if (w.priority || w.booked) li.className = "flagged";
      li.append(num, name, meta);
      return li;
    }),
  );
  $("waiting-count").textContent = String(state.waiting_count ?? waiting.length);
  $("nobody").hidden = waiting.length > 0;

  let actions;
  if (counter.state === "closed") actions = ["open"];
  else if (refused) actions = []; // snapshots keep coming; the other desk's buttons are not ours
  else if (counter.state === "paused") actions = current ? ["resume", "recall", "start", "finish", "no-show", "transfer"] : ["resume", "close"];
  else if (!current) actions = ["call-next", "pause", "close"];
  else if (current.status === "called") actions = ["recall", "start", "no-show", "transfer"];
  else actions = ["finish", "transfer"];
  enable(actions);
}

function closeForms() {
  for (const id of ["transfer-form", "pause-form"]) $(id).hidden = true;
  buttons.transfer.setAttribute("aria-expanded", "false");
  buttons.pause.setAttribute("aria-expanded", "false");
}

function toggleForm(id, button, focusId) {
  const form = $(id);
  const show = form.hidden;
  closeForms();
  form.hidden = !show;
  button.setAttribute("aria-expanded", String(show));
  if (show) $(focusId).focus();
}

async function act(action, body = {}) {
  if (busy) return;
  busy = true;
  for (const b of Object.values(buttons)) b.disabled = true;
  const apiAction = action === "resume" ? "open" : action;
  const result = await api(apiAction, body);
  busy = false;
  if (!result.ok) {
    complain(explain(result.error));
  } else if (action === "call-next" && result.status === 204) {
    complain(i18n.t("desk.err.nobody"));
  } else {
    if (apiAction === "open") refused = false;
    const number = result.body?.number || state?.current?.number || "";
    const done = { "call-next": "call", "no-show": "no_show", resume: "open" }[action] || action;
    say(`desk.done.${done}`, { number });
    closeForms();
  }
  render();
}

function wire() {
  buttons["call-next"].addEventListener("click", () => act("call-next"));
  for (const name of ["recall", "start", "finish", "no-show", "open", "resume", "close"]) {
    buttons[name].addEventListener("click", () => act(name));
  }
  buttons.transfer.addEventListener("click", () => toggleForm("transfer-form", buttons.transfer, "transfer-service"));
  buttons.pause.addEventListener("click", () => toggleForm("pause-form", buttons.pause, "pause-reason"));
  $("transfer-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    act("transfer", { service: $("transfer-service").value, first: $("transfer-first").checked });
  });
  $("pause-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const reason = $("pause-reason").value.trim();
    if (!reason) {
      complain(i18n.t("desk.err.reason_required"));
      $("pause-reason").focus();
      return;
    }
    act("pause", { reason });
  });
  for (const cancel of document.querySelectorAll("[data-cancel]")) cancel.addEventListener("click", closeForms);

  const keys = { n: "call-next", r: "recall", s: "start", f: "finish", x: "no-show", t: "transfer", p: "pause" };
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") return closeForms();
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest("input, select, textarea")) return;
    const name = keys[ev.key.toLowerCase()];
    const button = name && buttons[name];
    if (button && !button.hidden && !button.disabled) {
      ev.preventDefault();
      button.click();
    }
  });
}

async function start() {
  i18n = await loadI18n(root.dataset.lang);
  wire();
  enable([]);
  setInterval(renderTimes, 1000);
  subscribe(
    { counter: counterId },
    {
      snapshot(snap) {
        if (snap.error) return;
        state = snap;
        render();
        document.body.dataset.ready = "true";
      },
      counter(ev) {
        state = ev;
        render();
      },
      status(connected) {
        const live = $("live");
        live.textContent = i18n.t(connected ? "desk.live_on" : "desk.live_off");
        live.className = `pill ${connected ? "live-on" : "live-off"}`;
      },
    },
  );
  // Take the counter unless this operator already holds it: a counter open at another desk is
  // refused by the server (409 counter_taken) and the page says so.
  if (root.dataset.held !== "true") {
    const result = await api("open");
    if (!result.ok) {
      refused = true;
      complain(explain(result.error));
      enable([]);
    } else {
      say("desk.done.open");
    }
  }
}

start();
