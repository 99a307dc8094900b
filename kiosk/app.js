// The kiosk at /kiosk/<center>: language -> agency -> service -> confirm (priority, SMS) ->
// ticket (printed), or "I have a booking" -> check-in. Talks to the server only through
// /api/v1 and Socket.IO.
import { loadI18n, translate } from "/static/js/i18n.js";
import { subscribe } from "/static/js/live.js";
import { errorText } from "/static/js/api.js";
import { ApiError, centerDetail, checkIn, issueTicket, newKey, setLanguage, ticketStatus } from "./api.js";
import { buildKeyboard, CODE_ALPHABET, codeFromQr, hasCamera, normaliseCode, startScanner } from "./booking.js";
import { drawReceiptQr } from "./qr.js";
import * as views from "./views.js";

const params = new URLSearchParams(location.search);
// A kiosk set up with ?device=<name> names itself when it subscribes, so the supervisor's
// dashboard lists it and warns when it drops off.
const deviceName = /^[\w .:#-]{1,60}$/u.test(params.get("device") || "") ? params.get("device") : null;
const room = (slug) => (deviceName ? { center: slug, device: { kind: "kiosk", name: deviceName } } : { center: slug });
const IDLE_MS = 1000 * Number(params.get("idle") || 30);
const WAY_OUT_MS = 20000; // with no answer from the server this long, offer a way out
const slug = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const $ = (id) => document.getElementById(id);

const state = { lang: "az", i18n: null, center: null, agency: null, service: null, priority: null, phone: "", screen: "start", busy: null, stopCamera: null };
window.kiosk = { state, marks: [] }; // read by the browser tests and the bench

// ---- screens, language, idle -------------------------------------------------------------

function show(name) {
  state.screen = name;
  for (const section of document.querySelectorAll("section[data-screen]")) section.hidden = section.dataset.screen !== name;
  document.body.dataset.current = name;
  document.querySelector(`[data-screen="${name}"] h1`)?.focus({ preventScroll: true });
  if (name !== "checkin") stopCamera();
  armIdle();
}

async function setLang(lang) {
  state.lang = lang;
  setLanguage(lang);
  const i18n = await loadI18n(lang);
  // Two choices in quick succession (a tap on English, then the idle reset to az): the
  // last one wins, whichever catalogue arrives last.
  if (state.lang !== lang) return;
  state.i18n = i18n;
  translate(document, state.i18n);
  for (const b of document.querySelectorAll("button.lang")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  renderCenter();
}

let idleTimer = null;
function armIdle() {
  clearTimeout(idleTimer);
  // While a ticket is being issued we keep trying: the citizen is waiting for the paper.
  if (state.screen === "start" || state.screen === "issuing") return;
  idleTimer = setTimeout(goHome, IDLE_MS);
}
for (const type of ["pointerdown", "keydown", "input"]) document.addEventListener(type, armIdle, { capture: true });

function goHome() {
  for (const d of document.querySelectorAll("dialog[open]")) d.close();
  state.agency = null;
  state.service = null;
  state.priority = null;
  state.phone = "";
  $("code").value = "";
  notice("");
  show("start");
  if (state.lang !== "az") setLang("az");
  refreshCenter();
}

function notice(text) {
  $("notice").textContent = text;
}

// The phone as typed, masked but for its last two digits (the receipt masks the number the
// server normalised): the citizen recognises it, a passer-by cannot copy it.
function maskPhone(phone) {
  const digits = phone.replace(/\D/g, "");
  return digits.length < 4 ? "•".repeat(digits.length) : `${"•".repeat(digits.length - 2)}${digits.slice(-2)}`;
}

// ---- center data (GET /centers/<slug>, kept fresh by `queue` events) -----------------------

async function refreshCenter() {
  try {
    state.center = await centerDetail(slug);
    renderCenter();
  } catch (err) {
    if (!state.center) {
      notice(state.i18n.t(err instanceof ApiError && err.status === 404 ? "kiosk.center_missing" : "kiosk.offline"));
      setTimeout(refreshCenter, 3000);
    }
  }
}

function renderCenter() {
  const { center, i18n } = state;
  if (!center || !i18n) return;
  // Fresh counts rebuild the lists: keep a keyboard user's focus on the same button.
  const focused = document.activeElement?.closest?.("[data-agency], [data-service]");
  const focusKey = focused && (focused.dataset.service ? `[data-service="${focused.dataset.service}"]` : `[data-agency="${focused.dataset.agency}"]`);
  $("center-name").textContent = i18n.pick(center.name);
  document.title = `${i18n.t("kiosk.title")} · ${i18n.pick(center.name)}`;
  $("hours").textContent = views.hoursText(center, i18n);
  views.renderAgencies($("agency-list"), center, i18n, chooseAgency);
  if (state.agency) renderServices();
  renderOptions();
  if (focusKey) document.querySelector(`section:not([hidden]) ${focusKey}`)?.focus({ preventScroll: true });
}

function onQueue(ev) {
  if (!state.center || !Array.isArray(ev.services)) return;
  const byCode = new Map(ev.services.map((s) => [s.code, s]));
  for (const s of state.center.services) Object.assign(s, byCode.get(s.code) || {});
  if (state.screen === "agencies" || state.screen === "services") renderCenter();
}

// A snapshot (on subscribing, and whenever the catalogue changes in the back office) holds
// the center's whole list: services renamed, added or withdrawn show at once.
function onSnapshot(snap) {
  if (!state.center || !Array.isArray(snap?.services)) return;
  state.center.services = snap.services;
  if (Array.isArray(snap.agencies)) state.center.agencies = snap.agencies;
  if (snap.center?.name) state.center.name = snap.center.name;
  if (state.agency) state.agency = state.center.agencies.find((a) => a.code === state.agency.code) || null;
  if (state.screen === "services" && !state.agency) show("agencies");
  if (state.screen === "agencies" || state.screen === "services") renderCenter();
  // Hours and closed days are not in the snapshot: read the center afresh for them.
  refreshCenter();
}

// ---- agency, service, options ------------------------------------------------------------

function chooseAgency(agency) {
  state.agency = agency;
  renderServices();
  show("services");
}

function renderServices() {
  const { i18n, center, agency } = state;
  $("services-title").textContent = `${i18n.pick(agency.name)}: ${i18n.t("kiosk.choose_service")}`;
  views.renderServices($("service-list"), center, agency, i18n, chooseService);
}

function chooseService(service) {
  state.service = service;
  renderConfirm();
  show("confirm");
}

const smsOffered = () => Boolean(state.center?.sms_available); // only with a real gateway

function renderConfirm() {
  const { i18n, service } = state;
  if (!service) return;
  const t = i18n.t.bind(i18n);
  const agency = state.center.agencies.find((a) => a.code === service.agency);
  $("confirm-service").textContent = agency ? `${i18n.pick(service.name)} · ${i18n.pick(agency.name)}` : i18n.pick(service.name);
  $("confirm-priority").textContent = state.priority ? t(`priority.${state.priority}`) : t("kiosk.priority_none");
  $("confirm-sms").textContent = state.phone ? maskPhone(state.phone) : t("kiosk.sms_none");
  $("confirm-sms-row").hidden = $("sms-button").hidden = !smsOffered();
}

function renderOptions() {
  const t = state.i18n.t.bind(state.i18n);
  $("priority-button").textContent = state.priority
    ? t("kiosk.priority_set", { reason: t(`priority.${state.priority}`) })
    : t("kiosk.priority");
  $("priority-button").setAttribute("aria-pressed", String(Boolean(state.priority)));
  $("sms-button").textContent = state.phone ? t("kiosk.sms_set", { phone: maskPhone(state.phone) }) : t("kiosk.sms");
  $("sms-button").setAttribute("aria-pressed", String(Boolean(state.phone)));
  // SMS is offered only where a gateway can really send it.
  $("sms-button").hidden = !state.center?.sms_available;
  if (!state.center?.sms_available) state.phone = "";
  renderConfirm();
}

function openPriority() {
  const dialog = $("priority-dialog");
  views.renderPriorities($("priority-list"), state.i18n, state.priority, (reason) => {
    state.priority = reason;
    renderOptions();
    dialog.close();
  });
  dialog.showModal();
}

function openSms(error = "") {
  $("phone").value = state.phone;
  $("sms-error").textContent = error;
  buildKeyboard($("phone-pad"), $("phone"), {
    keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "0"],
    label: (k) => state.i18n.t("kiosk.key", { key: k }),
    backspaceLabel: state.i18n.t("kiosk.clear"),
  });
  $("sms-dialog").showModal();
}

// ---- issuing a ticket: one press = one Idempotency-Key, reused by every retry ------------

async function takeTicket(service, ev) {
  if (state.busy) return; // a second tap while the first is in flight is the same press
  performance.mark("kiosk:touch", { startTime: ev?.timeStamp ?? performance.now() });
  const payload = { service: service.code, lang: state.lang };
  if (state.priority) payload.priority = state.priority;
  if (state.phone) payload.phone = state.phone;
  await runRequest((opts) => issueTicket(slug, payload, newKey(), opts), { service });
}

// `call(opts)` is made once per press; `withRetry` inside it repeats the same request.
async function runRequest(call, context = {}) {
  const ctrl = new AbortController();
  state.busy = ctrl;
  $("issuing-status").textContent = "";
  $("way-out").hidden = true;
  const slow = setTimeout(() => show("issuing"), 150); // no flash for a fast answer
  const wayOut = setTimeout(() => ($("way-out").hidden = false), WAY_OUT_MS);
  try {
    const ticket = await call({
      signal: ctrl.signal,
      onRetry: () => {
        show("issuing");
        $("issuing-status").textContent = state.i18n.t("kiosk.offline");
      },
    });
    showTicket(ticket);
  } catch (err) {
    if (!ctrl.signal.aborted) handleFailure(err, context); // a citizen who gave up is home
  } finally {
    clearTimeout(slow);
    clearTimeout(wayOut);
    $("way-out").hidden = true;
    state.busy = null;
  }
}

function showTicket(ticket) {
  views.renderTicket(ticket, state.i18n, state.center?.timezone, state.phone ? maskPhone(state.phone) : "");
  show("ticket");
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      performance.mark("kiosk:ticket-shown");
      try {
        const m = performance.measure("kiosk:touch-to-ticket", "kiosk:touch", "kiosk:ticket-shown");
        window.kiosk.marks.push(m.duration);
      } catch {
        // a check-in has no service touch to measure from
      }
    }),
  );
  const png = ticket.links.receipt_png;
  drawReceiptQr(png, $("ticket-qr"))
    .then((text) => ($("ticket-qr").dataset.url = text))
    .catch(() => {});
  printReceipt(png);
}

function printReceipt(src) {
  $("print-frame").src = `/kiosk/static/print.html?src=${encodeURIComponent(src)}`;
}

window.addEventListener("message", (ev) => {
  if (ev.origin !== location.origin || !ev.data?.kiosk) return;
  const key = ev.data.kiosk === "printed" ? "kiosk.take_receipt" : "kiosk.error";
  $("ticket-print").textContent = state.i18n.t(key);
  document.body.dataset.printed = ev.data.kiosk;
});

function message(title, text = "", actions = []) {
  $("message-title").textContent = title;
  $("message-text").textContent = text;
  const box = $("message-actions");
  box.replaceChildren();
  for (const [label, action, cls = "secondary"] of [...actions, [state.i18n.t("kiosk.home"), goHome]]) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `${cls} huge`;
    b.textContent = label;
    b.addEventListener("click", action);
    box.append(b);
  }
  show("message");
}

function handleFailure(err, { service } = {}) {
  const t = state.i18n.t.bind(state.i18n);
  if (err?.cancelled) return;
  const code = err instanceof ApiError ? err.code : "";
  if (code === "invalid_phone") {
    // The reason goes inside the dialog: anything behind its backdrop cannot be read.
    show("confirm");
    openSms(errorText(state.i18n, err.error, "kiosk.invalid_phone"));
    return;
  }
  if (code === "checkin_too_early") return message(t("kiosk.too_early_title"), views.comeBackText(err.error.come_back_at, state.center, state.i18n), [[t("kiosk.back"), () => show("checkin")]]);
  if (code === "booking_lapsed") return offerWalkIn(err);
  if (code === "booking_cancelled") return message(t("kiosk.booking_cancelled"));
  if (code === "already_checked_in" && err.error.ticket_token) {
    return runRequest(() => ticketStatus(err.error.ticket_token));
  }
  if (["center_closed", "no_more_tickets", "sms_unavailable"].includes(code)) {
    // The server says why, in the kiosk's language (Accept-Language).
    refreshCenter();
    return message(t("kiosk.refused"), err.message, [[t("kiosk.back"), () => show("agencies")]]);
  }
  if (code === "booking_not_found" || (err instanceof ApiError && err.status === 422 && !service)) {
    return message(t("kiosk.booking_not_found"), "", [[t("kiosk.back"), () => show("checkin")]]);
  }
  // The code, never the server's sentence, picks the text: it reads in the kiosk's language.
  const why = err instanceof ApiError ? errorText(state.i18n, err.error, "kiosk.try_again") : t("kiosk.try_again");
  message(t(service ? "kiosk.error" : "kiosk.checkin_error"), why);
}

function offerWalkIn(err) {
  const t = state.i18n.t.bind(state.i18n);
  const code = err.error.service;
  const service = state.center.services.find((s) => s.code === code);
  const walkIn = service
    ? () => chooseService(service)
    : () => show("agencies");
  message(t("kiosk.lapsed"), service ? state.i18n.pick(service.name) : "", [[t("kiosk.lapsed_walk_in"), walkIn, "primary"]]);
}

// ---- check-in with a booking code or QR ----------------------------------------------------

function submitCode(raw) {
  const code = normaliseCode(raw);
  if (!code || state.busy) return;
  $("issuing-status").textContent = state.i18n.t("kiosk.checking_in");
  runRequest((opts) => checkIn(slug, code, opts));
}

function stopCamera() {
  state.stopCamera?.();
  state.stopCamera = null;
  $("camera").hidden = true;
}

async function startCamera() {
  try {
    $("camera").hidden = false;
    state.stopCamera = await startScanner($("camera-video"), (text) => {
      stopCamera();
      $("code").value = codeFromQr(text);
      submitCode($("code").value);
    });
  } catch {
    stopCamera();
    notice(state.i18n.t("kiosk.camera_error"));
  }
}

function openCheckin() {
  $("code").value = "";
  buildKeyboard($("keyboard"), $("code"), {
    keys: CODE_ALPHABET.split(""),
    label: (k) => state.i18n.t("kiosk.key", { key: k }),
    backspaceLabel: state.i18n.t("kiosk.clear"),
  });
  $("camera-start").hidden = true;
  hasCamera().then((yes) => ($("camera-start").hidden = !yes));
  show("checkin");
}

// ---- wiring ------------------------------------------------------------------------------

function wire() {
  for (const b of document.querySelectorAll("button.lang")) b.addEventListener("click", () => setLang(b.dataset.lang));
  for (const b of document.querySelectorAll("[data-go]")) {
    b.addEventListener("click", () => (b.dataset.go === "start" ? goHome() : show(b.dataset.go)));
  }
  $("take").addEventListener("click", () => {
    notice("");
    show("agencies");
    refreshCenter();
  });
  $("booking").addEventListener("click", openCheckin);
  $("priority-button").addEventListener("click", openPriority);
  $("sms-button").addEventListener("click", openSms);
  $("print").addEventListener("click", (ev) => state.service && takeTicket(state.service, ev));
  $("give-up").addEventListener("click", () => {
    state.busy?.abort();
    goHome();
  });
  $("sms-ok").addEventListener("click", () => {
    state.phone = $("phone").value.trim();
    notice("");
    renderOptions();
    $("sms-dialog").close();
  });
  $("sms-cancel").addEventListener("click", () => $("sms-dialog").close());
  $("code").addEventListener("input", () => ($("code").value = normaliseCode($("code").value)));
  $("code").addEventListener("keydown", (ev) => ev.key === "Enter" && submitCode($("code").value));
  $("code-submit").addEventListener("click", () => submitCode($("code").value));
  $("camera-start").addEventListener("click", startCamera);
  $("camera-stop").addEventListener("click", stopCamera);
}

async function main() {
  wire();
  await setLang("az");
  show("start");
  await refreshCenter();
  subscribe(room(slug), { queue: onQueue, snapshot: onSnapshot });
  document.body.dataset.ready = "1";
}

main();
