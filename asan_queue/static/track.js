// The citizen's ticket page (/t/<token>): live status over Socket.IO (`ticket` events of the
// ticket:<token> room), "go to counter N" with a beep and vibration, cancel, rating.
import { etaText, loadI18n } from "/static/js/i18n.js";
import { subscribe } from "/static/js/live.js";
import { api, errorText } from "/static/js/api.js";

const root = document.getElementById("track");
const token = root.dataset.token;
const $ = (id) => document.getElementById(id);
let ticket = JSON.parse($("ticket-data").textContent);
let i18n = null;
let alertedFor = null; // "<status>:<call_count>" of the last call we beeped for

const ACTIVE = ["called", "serving"];

function render(next) {
  if (!next || next.token !== token) return;
  const before = ticket;
  ticket = next;
  const t = i18n.t.bind(i18n);
  $("number").textContent = ticket.number;
  $("service").textContent = i18n.pick(ticket.service_name);
  $("status").textContent = t(`ticket.status.${ticket.status}`);
  $("status").dataset.status = ticket.status;
  const waiting = ticket.status === "waiting";
  for (const id of ["position-fact", "ahead-fact", "eta-fact"]) $(id).hidden = !waiting;
  $("position").textContent = String(ticket.position);
  $("ahead").textContent = String(ticket.people_ahead);
  $("eta").textContent = etaText(i18n, ticket, root.dataset.timezone);
  $("cancel-box").hidden = !waiting;
  renderCall(t);
  const done = ticket.status === "done";
  if (done && $("thanks").hidden) $("feedback").hidden = false;
  if (!done) $("feedback").hidden = true;
  if (ticket.status === "cancelled") $("message").textContent = t("track.cancelled");
  document.title = `${ticket.number} · ${t("track.title")}`;
  if (before.status !== ticket.status) root.dataset.status = ticket.status;
}

function renderCall(t) {
  const box = $("called");
  const active = ACTIVE.includes(ticket.status) && ticket.counter != null;
  box.hidden = !active;
  box.classList.toggle("serving", ticket.status === "serving");
  if (!active) return;
  $("go-counter").textContent =
    ticket.status === "called"
      ? t("track.go_to_counter", { counter: ticket.counter })
      : t("track.serving", { counter: ticket.counter });
  const key = `${ticket.status}:${ticket.call_count}`;
  if (ticket.status === "called" && alertedFor !== key) {
    alertedFor = key;
    alertCitizen();
  }
}

// WebAudio needs a user gesture on most phones: we create the context on the first touch and
// also try at once (works where autoplay is allowed, e.g. an installed web app).
let audio = null;
function audioContext() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return null;
  if (!audio) audio = new Ctx();
  if (audio.state === "suspended") audio.resume().catch(() => {});
  return audio;
}
document.addEventListener("pointerdown", () => audioContext(), { once: true });

function alertCitizen() {
  const box = $("called");
  box.dataset.alerts = String(Number(box.dataset.alerts || 0) + 1);
  try {
    const ctx = audioContext();
    if (ctx) {
      for (let i = 0; i < 3; i++) {
        const start = ctx.currentTime + i * 0.35;
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.001, start);
        gain.gain.exponentialRampToValueAtTime(0.4, start + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.001, start + 0.25);
        osc.connect(gain).connect(ctx.destination);
        osc.start(start);
        osc.stop(start + 0.3);
      }
    }
  } catch (err) {
    // No sound is not an error worth showing: the big text and vibration remain.
  }
  if (navigator.vibrate) navigator.vibrate([300, 150, 300, 150, 600]);
}

const post = (path, body) => api(path, { body: body || {}, lang: i18n.lang });
const problem = (res) => errorText(i18n, res.error, "track.error");

function setupCancel() {
  const dialog = $("confirm");
  $("cancel").addEventListener("click", () => dialog.showModal());
  $("confirm-no").addEventListener("click", () => dialog.close());
  $("confirm-yes").addEventListener("click", async () => {
    dialog.close();
    $("message").textContent = "";
    const res = await post(`/api/v1/tickets/${token}/cancel`);
    if (res.ok) render(res.data);
    else $("message").textContent = problem(res);
  });
}

function setupFeedback() {
  $("feedback").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target);
    const rating = Number(form.get("rating"));
    const comment = String(form.get("comment") || "").trim();
    $("message").textContent = "";
    const res = await post(`/api/v1/tickets/${token}/feedback`, comment ? { rating, comment } : { rating });
    if (res.ok || res.error?.code === "feedback_exists") {
      $("feedback").hidden = true;
      $("thanks").hidden = false;
      $("thanks").focus?.();
    } else {
      $("message").textContent = problem(res);
    }
  });
}

async function main() {
  i18n = await loadI18n(root.dataset.lang);
  render(ticket);
  setupCancel();
  setupFeedback();
  subscribe(
    { ticket: token },
    {
      // The ticket room's snapshot is the ticket body itself (or wraps it as `ticket`).
      snapshot: (state) => render(state?.ticket?.token ? state.ticket : state),
      ticket: (ev) => render(ev),
      status: (connected) => {
        $("connection").textContent = connected ? "" : i18n.t("track.offline");
        root.dataset.live = connected ? "on" : "off";
      },
    },
  );
  root.dataset.ready = "1";
}

main();
