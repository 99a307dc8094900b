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
let focusNext = null; // the button to focus once the state after our own action arrives
let undoTimer = null;
let undoSeen = null;
let undoReceived = 0;
const me = root.dataset.me;
// After each action, the next one: focus goes there (the operator never hunts for it).
const NEXT = {
  "call-next": "start", "call-number": "start", recall: "start", start: "finish",
  finish: "call-next", "no-show": "call-next", transfer: "call-next", open: "call-next",
  resume: "call-next", pause: "resume", close: "open", undo: null,
};

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

let bodyReceived = Date.now(); // when the latest counter body arrived

// Seconds served: the server's figure when the body was built, counted on by this clock.
function servingSeconds(cur) {
  return Math.max(0, cur.serving_seconds + (Date.now() - bodyReceived) / 1000);
}

function elapsed(cur) {
  const secs = Math.floor(servingSeconds(cur));
  const m = Math.floor(secs / 60);
  const s = String(secs % 60).padStart(2, "0");
  return `${m}:${s}`;
}

function renderTimes() {
  const cur = state?.current;
  if (!cur || !cur.service_started_at || cur.serving_seconds === null) {
    $("current-overrun").hidden = true;
    $("current").dataset.overrun = "false";
  }
  if (!cur) {
    $("current-times").textContent = "";
    return;
  }
  const parts = [];
  if (cur.waited_minutes !== null && cur.waited_minutes !== undefined) {
    parts.push(i18n.t("desk.waited", { n: cur.waited_minutes }));
  }
  if (cur.service_started_at && cur.serving_seconds !== null) {
    parts.push(i18n.t("desk.serving_for", { time: elapsed(cur) }));
    const minutes = servingSeconds(cur) / 60;
    const over = minutes > cur.planned_minutes;
    $("current-overrun").hidden = !over;
    $("current-overrun").textContent = i18n.t("desk.overrun", { n: cur.planned_minutes });
    $("current").dataset.overrun = String(over);
  }
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

function why(cur) {
  const parts = [];
  if (cur.priority) {
    const given = cur.priority_reason ? ` (${cur.priority_reason})` : "";
    parts.push(`${i18n.t(`priority.${cur.priority}`)}${given}`);
  }
  if (cur.booked_name) parts.push(i18n.t("desk.booked_by", { name: cur.booked_name }));
  if (cur.call_reason) parts.push(i18n.t(`desk.tier.${cur.call_reason}`));
  if (cur.back_to_counter) parts.push(i18n.t("desk.back_to", { n: cur.back_to_counter }));
  return parts.join(" · ");
}

function mine() {
  return state?.counter?.operator?.username === me;
}

function renderOutcomes() {
  const select = $("outcome");
  const codes = state.outcome_codes || [];
  if (select.dataset.codes === codes.join(",")) return;
  const keep = select.value;
  select.replaceChildren(
    ...codes.map((code) => {
      const o = document.createElement("option");
      o.value = code;
      o.textContent = i18n.has(`outcome.code_${code}`) ? i18n.t(`outcome.code_${code}`) : code;
      return o;
    }),
  );
  select.dataset.codes = codes.join(",");
  if (codes.includes(keep)) select.value = keep;
}

function renderUndo() {
  const offer = state?.undo;
  clearTimeout(undoTimer);
  // Counted from when the body arrived (the browser's clock need not agree with the server's).
  if (offer && offer !== undoSeen) {
    undoSeen = offer;
    undoReceived = Date.now();
  }
  const left = offer ? offer.seconds_left * 1000 - (Date.now() - undoReceived) : 0;
  if (!offer || left <= 0 || !mine()) return false;
  $("undo-label").textContent = i18n.t(`desk.undo_${offer.operation}`, { number: offer.number });
  undoTimer = setTimeout(render, left + 50);
  return true;
}

function render() {
  if (!state) return;
  const { counter, current, waiting } = state;
  const held = mine();
  $("counter-state").textContent = i18n.t(`desk.state.${counter.state}`);
  $("counter-state").dataset.state = counter.state;
  $("served-today").textContent = i18n.t("desk.served_today", { n: state.served_today });
  $("current-number").textContent = current ? current.number : "—";
  $("current-service").textContent = current ? i18n.pick(current.service_name) : "";
  $("current-status").textContent = current ? i18n.t(`ticket.status.${current.status}`) : "";
  $("current-why").textContent = current ? why(current) : "";
  $("recall-warning").hidden = !(current && current.status === "called" && current.recalls_left === 0);
  $("no-current").hidden = Boolean(current);
  $("current").dataset.status = current ? current.status : "none";
  $("finish-fields").hidden = !(held && current && current.status === "serving");
  if (current && current.status === "serving" && $("notes").dataset.ticket !== current.number) {
    $("notes").value = current.notes || "";
    $("notes").dataset.ticket = current.number;
    $("outcome").value = "served"; // each visit starts as served; the operator changes it
  }
  renderOutcomes();
  renderTimes();

  const free = held && counter.state === "open" && !current;
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
      if (w.for_this_counter) tags.push(i18n.t("desk.for_this_counter"));
      meta.textContent = tags.join(" · ");
      if (w.priority || w.booked) li.className = "flagged";
      if (w.for_this_counter) li.classList.add("for-me");
      li.append(num, name, meta);
      if (free) {
        const call = document.createElement("button");
        call.type = "button";
        call.className = "call-this secondary";
        call.textContent = i18n.t("desk.call_this");
        call.setAttribute("aria-label", i18n.t("desk.call_this_number", { number: w.number }));
        call.addEventListener("click", () => act("call-number", { number: w.number }));
        li.append(call);
      }
      return li;
    }),
  );
  $("waiting-count").textContent = String(state.waiting_count ?? waiting.length);
  $("nobody").hidden = waiting.length > 0;

  let actions;
  const someoneElse = counter.operator && !held;
  if (refused || someoneElse) actions = []; // another desk's counter: look, do not touch
  else if (!held) actions = ["open"]; // looking does not take it: "Start at this counter"
  else if (counter.state === "closed") actions = ["open"];
  else if (counter.state === "paused") actions = current ? ["resume", "recall", "start", "finish", "no-show", "transfer"] : ["resume", "close"];
  else if (!current) actions = ["call-next", "call-number", "pause", "close"];
  else if (current.status === "called") actions = ["recall", "start", "no-show", "transfer"];
  else actions = ["finish", "transfer"];
  if (held && !current && renderUndo()) actions = ["undo", ...actions];
  enable(actions);
  if (someoneElse && !refused) {
    const holder = counter.operator.name || counter.operator.username;
    $("problem").textContent = i18n.t("desk.viewing_held", { name: holder });
  }
  if (focusNext && buttons[focusNext] && !buttons[focusNext].hidden && !buttons[focusNext].disabled) {
    buttons[focusNext].focus();
    focusNext = null;
  }
}

function closeForms() {
  for (const id of ["transfer-form", "pause-form", "number-form"]) $(id).hidden = true;
  buttons.transfer.setAttribute("aria-expanded", "false");
  buttons.pause.setAttribute("aria-expanded", "false");
  buttons["call-number"].setAttribute("aria-expanded", "false");
}

function toggleForm(id, button, focusId) {
  const form = $(id);
  const show = form.hidden;
  closeForms();
  form.hidden = !show;
  button.setAttribute("aria-expanded", String(show));
  if (show) $(focusId).focus();
}

// What the desk says after a success: what the server actually did, not what was asked.
function doneText(action, result) {
  const body = result.body || {};
  const number = body.number || state?.current?.number || "";
  if (action === "recall") {
    if (body.marked_no_show) return ["desk.done.recall_no_show", { number }];
    if (body.recalls_left === 0) return ["desk.done.recall_last", { number }];
    return ["desk.done.recall", { number, n: body.recalls_left }];
  }
  if (action === "undo") return [`desk.done.undo_${body.undone}`, { number }];
  if (action === "finish" && body.status === "waiting") return ["desk.done.returned", { number }];
  const done = { "call-next": "call", "call-number": "call", "no-show": "no_show", resume: "open" }[action] || action;
  return [`desk.done.${done}`, { number }];
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
    const [key, values] = doneText(action, result);
    say(key, values);
    closeForms();
    focusNext = NEXT[action] ?? null;
    if (action === "recall" && result.body?.marked_no_show) focusNext = "call-next";
    if (action === "undo") focusNext = result.body?.undone === "finish" ? "finish" : "start";
    if (action === "finish") $("notes").value = "";
  }
  render();
}

function wire() {
  buttons["call-next"].addEventListener("click", () => act("call-next"));
  for (const name of ["recall", "start", "no-show", "open", "resume", "close", "undo"]) {
    buttons[name].addEventListener("click", () => act(name));
  }
  buttons.finish.addEventListener("click", () =>
    act("finish", { outcome_code: $("outcome").value || null, notes: $("notes").value }),
  );
  buttons["call-number"].addEventListener("click", () => toggleForm("number-form", buttons["call-number"], "call-number"));
  $("number-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const number = $("call-number").value.trim();
    if (number) act("call-number", { number });
  });
  buttons.transfer.addEventListener("click", () => toggleForm("transfer-form", buttons.transfer, "transfer-service"));
  buttons.pause.addEventListener("click", () => toggleForm("pause-form", buttons.pause, "pause-code"));
  $("transfer-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const counter = $("transfer-counter").value;
    act("transfer", {
      service: $("transfer-service").value || null,
      counter: counter ? Number(counter) : null,
      first: $("transfer-first").checked,
      back: $("transfer-back").checked,
    });
  });
  $("pause-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    act("pause", { code: $("pause-code").value, reason: $("pause-note").value.trim() });
  });
  for (const cancel of document.querySelectorAll("[data-cancel]")) cancel.addEventListener("click", closeForms);

  const keys = { n: "call-next", r: "recall", s: "start", f: "finish", x: "no-show", t: "transfer", p: "pause", u: "undo", c: "call-number" };
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") return closeForms();
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest("input, select, textarea, form")) return;
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
        bodyReceived = Date.now();
        render();
        document.body.dataset.ready = "true";
      },
      counter(ev) {
        state = ev;
        bodyReceived = Date.now();
        render();
      },
      status(connected) {
        const live = $("live");
        live.textContent = i18n.t(connected ? "desk.live_on" : "desk.live_off");
        live.className = `pill ${connected ? "live-on" : "live-off"}`;
      },
    },
  );
  // Looking at a counter never takes it: "Start at this counter" does (an operator who holds
  // it already works straight away).
}

start();
