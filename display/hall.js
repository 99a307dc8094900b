// The hall display: who is called to which counter (with chime and speech), the last calls,
// the queues with their waiting counts and ETAs, and the center's local clock.
// State comes from the `center:<slug>` room: a snapshot, then ticket_called and queue events.
import { subscribe } from "/static/js/live.js";
import { etaText, loadI18n, translate, formatTime } from "/static/js/i18n.js";
import { Announcer, soundBlocked, unlockSound } from "./announcer.js";

const RECENT = 9;
const SERVICES_PER_PAGE = 14; // two columns of seven rows
const LANG_ROTATE_MS = 12000;
const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const $ = (id) => document.getElementById(id);

const state = {
  center: null,
  services: [],
  agencies: [],
  recent: [],
  current: null, // the call shown large (the one being announced, else the latest)
  clockOffset: 0, // server time minus this TV's clock
  langs: ["az"],
  langIndex: 0,
  page: 0,
  i18n: null,
};

function fitToScreen() {
  // Designed for 1920x1080; scale to whatever the TV reports.
  const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
  $("board").style.zoom = String(scale);
}

function pick(names) {
  return state.i18n ? state.i18n.pick(names) : names?.az || "";
}

function renderNow() {
  const call = state.current;
  $("now-number").textContent = call ? call.number : "—";
  $("now-counter").textContent = call ? String(call.counter) : "";
  $("now-service").textContent = call ? pick(call.service_name) : "";
  $("now").classList.toggle("empty", !call);
}

function flash() {
  const el = $("now");
  el.classList.remove("flash");
  void el.offsetWidth; // restart the animation
  el.classList.add("flash");
}

function renderRecent() {
  const body = $("recent");
  body.replaceChildren(
    ...state.recent.slice(0, RECENT).map((call, i) => {
      const tr = document.createElement("tr");
      if (i === 0) tr.className = "latest";
      const num = document.createElement("td");
      num.textContent = call.number;
      const counter = document.createElement("td");
      counter.textContent = String(call.counter);
      tr.append(num, counter);
      return tr;
    }),
  );
  $("no-calls").hidden = state.recent.length > 0;
}

function renderServices() {
  const t = state.i18n.t.bind(state.i18n);
  // Services being served or waited for come first; the rest are greyed. More than one page
  // of them take turns with the label language.
  const active = (s) => s.open_counters > 0 || s.waiting > 0;
  const ordered = [...state.services.filter(active), ...state.services.filter((s) => !active(s))];
  const pages = Math.max(1, Math.ceil(ordered.length / SERVICES_PER_PAGE));
  state.page %= pages;
  $("services-page").textContent = pages > 1 ? t("hall.page", { page: state.page + 1, pages }) : "";
  const shown = ordered.slice(state.page * SERVICES_PER_PAGE, (state.page + 1) * SERVICES_PER_PAGE);
  const list = $("services");
  list.replaceChildren(
    ...shown.map((s) => {
      const li = document.createElement("li");
      li.className = "service";
      li.dataset.service = s.code;
      const prefix = document.createElement("span");
      prefix.className = "prefix";
      prefix.textContent = s.prefix || s.code.slice(0, 1).toUpperCase();
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = pick(s.name);
      const waiting = document.createElement("span");
      waiting.className = "waiting";
      waiting.textContent = String(s.waiting);
      waiting.setAttribute("aria-label", t("hall.waiting_n", { n: s.waiting }));
      const eta = document.createElement("span");
      eta.className = "eta";
      // The column is narrow: a range, or a dash where there is no figure (no counter open).
      const figure = s.waiting && s.eta_minutes !== null && s.eta_status !== "no_counter";
      eta.textContent = figure ? etaText(state.i18n, s, state.center?.timezone) : "—";
      li.append(prefix, name, waiting, eta);
      li.classList.toggle("closed", !active(s));
      return li;
    }),
  );
}

function renderClock() {
  if (!state.center) return;
  const now = new Date(Date.now() + state.clockOffset).toISOString();
  const tz = state.center.timezone;
  const lang = state.i18n.lang;
  $("clock").textContent = formatTime(now, tz, lang, { hour: "2-digit", minute: "2-digit", hour12: false });
  $("date").textContent = localDate(now, tz);
}

// "Monday, 30 November" from our own catalog: browsers' date data lacks Azerbaijani on many TVs.
function localDate(iso, timeZone) {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(iso))
    .split("-")
    .map(Number);
  const weekday = state.i18n.t("hall.weekdays").split(",")[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  const month = state.i18n.t("hall.months").split(",")[m - 1];
  return `${weekday}, ${d} ${month}`;
}

function renderAll() {
  translate(document, state.i18n);
  document.title = `${pick(state.center?.name)} · ASAN`;
  $("center-name").textContent = pick(state.center?.name);
  renderNow();
  renderRecent();
  renderServices();
  renderClock();
}

async function useLang(lang) {
  state.i18n = await loadI18n(lang);
  renderAll();
}

// Labels and service names take turns in the center's languages.
function rotateLang() {
  state.page += 1;
  if (state.langs.length < 2) return renderServices();
  state.langIndex = (state.langIndex + 1) % state.langs.length;
  useLang(state.langs[state.langIndex]);
}

const announcer = new Announcer({
  onStart(call) {
    state.current = call;
    renderNow();
    flash();
  },
});

function mergeServices(updates) {
  const byCode = new Map(updates.map((s) => [s.code, s]));
  state.services = state.services.map((s) => ({ ...s, ...(byCode.get(s.code) || {}) }));
}

async function start() {
  state.i18n = await loadI18n(new URLSearchParams(location.search).get("lang") || "az");
  fitToScreen();
  window.addEventListener("resize", fitToScreen);
  renderAll();
  setInterval(renderClock, 1000);
  setInterval(rotateLang, LANG_ROTATE_MS);

  const soundButton = $("sound");
  soundButton.addEventListener("click", async () => {
    await unlockSound();
    soundButton.hidden = true;
  });
  setTimeout(() => {
    soundButton.hidden = !soundBlocked();
  }, 1500);

  subscribe(
    { center: slug },
    {
      snapshot(snap) {
        state.center = snap.center;
        state.services = snap.services;
        state.agencies = snap.agencies;
        state.recent = snap.recent_calls;
        if (!announcer.pending) state.current = snap.recent_calls[0] || null;
        if (snap.now) state.clockOffset = Date.parse(snap.now) - Date.now();
        const langs = snap.center.languages?.length ? snap.center.languages : ["az"];
        if (langs.join() !== state.langs.join()) {
          state.langs = langs;
          state.langIndex = 0;
          useLang(langs[0]);
        } else {
          renderAll();
        }
        document.body.dataset.ready = "true";
      },
      ticket_called(call) {
        state.recent = [call, ...state.recent].slice(0, 10);
        renderRecent();
        announcer.push(call);
      },
      queue(ev) {
        mergeServices(ev.services);
        renderServices();
      },
      status(connected) {
        $("offline").hidden = connected;
        document.body.classList.toggle("disconnected", !connected);
      },
    },
  );
}

start();
