// The hall display: who is called now (with chime and spoken announcement), who is at each
// counter (newest call first: a recall updates its row, a finished, no-show or transferred
// ticket leaves), the active queues with waiting counts and ETAs, and the local clock.
// State comes from the `center:<slug>` room: a snapshot, then ticket_called and queue events.
// `?lang=ru` pins one language; otherwise labels and names take turns in the center's.
import { subscribe } from "/static/js/live.js";
import { etaText, loadI18n, translate, formatTime, formatDate } from "/static/js/i18n.js";
import { Announcer } from "./announcer.js";

const ROTATE_MS = 12000;
const params = new URLSearchParams(location.search);
// A display set up with ?device=<name> names itself when it subscribes, so the supervisor's
// dashboard lists it and warns when it drops off.
const deviceName = /^[\w .:#-]{1,60}$/u.test(params.get("device") || "") ? params.get("device") : null;
const room = (slug) => (deviceName ? { center: slug, device: { kind: "display", name: deviceName } } : { center: slug });
const pinned = ["az", "ru", "en"].includes(params.get("lang")) ? params.get("lang") : null;
const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const $ = (id) => document.getElementById(id);

const state = {
  center: null,
  services: [],
  counters: [],
  current: null, // the call shown large (the one being announced, else the latest)
  clockOffset: 0, // server time minus this TV's clock
  langs: [pinned || "az"],
  langIndex: 0,
  page: 0,
  i18n: null,
};
window.hall = state; // read by the browser tests

function fitToScreen() {
  // Designed for 1920x1080; scale to whatever the TV reports.
  const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
  $("board").style.zoom = String(scale);
}

const pick = (names) => (state.i18n ? state.i18n.pick(names) : names?.az || "");

function renderNow() {
  const call = state.current;
  $("now-number").textContent = call ? call.number : "";
  $("now-counter").textContent = call ? String(call.counter) : "";
  $("now-service").textContent = call ? pick(call.service_name) : "";
  $("now").classList.toggle("empty", !call);
}

function restart(el, cls = "flash") {
  el.classList.remove(cls);
  void el.offsetWidth; // restart the animation
  el.classList.add(cls);
}

// Counters with a ticket at them, newest call first.
function atCounters() {
  return state.counters
    .filter((c) => c.current && (c.current.status === "called" || c.current.status === "serving"))
    .sort((a, b) => (Date.parse(b.current.called_at || 0) || 0) - (Date.parse(a.current.called_at || 0) || 0));
}

const FLASH_MS = 2400;
const flashing = new Map(); // counter number -> until when its row flashes

function renderCounters() {
  const list = $("counters");
  const rows = atCounters();
  const t = state.i18n.t.bind(state.i18n);
  // As many rows as the panel holds; past one column's worth, two columns.
  list.classList.remove("two");
  const rowHeight = 80;
  const perColumn = Math.max(1, Math.floor(list.clientHeight / rowHeight));
  const two = rows.length > perColumn;
  list.classList.toggle("two", two);
  const capacity = two ? perColumn * 2 : perColumn;
  list.style.gridTemplateRows = two ? `repeat(${perColumn}, ${rowHeight}px)` : "";
  const shown = rows.slice(0, capacity);
  list.replaceChildren(
    ...shown.map((c) => {
      const li = document.createElement("li");
      li.className = c.current.status;
      li.dataset.counter = String(c.number);
      li.dataset.number = c.current.number;
      const num = document.createElement("span");
      num.textContent = c.current.number;
      const counter = document.createElement("span");
      counter.textContent = String(c.number);
      const label = t(c.current.status === "called" ? "hall.row_called" : "hall.row_serving", {
        number: c.current.number,
        counter: c.number,
      });
      li.setAttribute("aria-label", label);
      li.append(num, counter);
      if ((flashing.get(c.number) || 0) > Date.now()) li.classList.add("flash");
      return li;
    }),
  );
  const hidden = rows.length - shown.length;
  $("counters-more").hidden = hidden <= 0;
  $("counters-more").textContent = hidden > 0 ? state.i18n.plural("hall.more", hidden) : "";
  $("no-calls").hidden = rows.length > 0;
}

// Services someone waits for or a counter serves now; the rest are not shown.
const isActive = (s) => s.open_counters > 0 || s.waiting > 0;

function serviceRow(s, t) {
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
  return li;
}

// Rows are laid out, then split into pages by their real heights (names wrap in some
// languages), so a page never holds more than the panel shows.
function renderServices() {
  const t = state.i18n.t.bind(state.i18n);
  const list = $("services");
  const active = state.services.filter(isActive);
  list.replaceChildren(...active.map((s) => serviceRow(s, t)));
  $("no-queues").hidden = active.length > 0;
  const limit = list.clientHeight;
  const pages = [];
  let top = null;
  for (const li of list.children) {
    const start = li.offsetTop;
    if (top === null || start + li.offsetHeight - top > limit) {
      pages.push([]);
      top = start;
    }
    pages[pages.length - 1].push(li);
  }
  state.pages = Math.max(1, pages.length);
  state.page %= state.pages;
  pages.forEach((rows, i) => rows.forEach((li) => (li.hidden = i !== state.page)));
  $("services-page").textContent = pages.length > 1 ? t("hall.page", { page: state.page + 1, pages: pages.length }) : "";
}

function renderClock() {
  if (!state.center) return;
  const now = new Date(Date.now() + state.clockOffset).toISOString();
  const tz = state.center.timezone;
  $("clock").textContent = formatTime(now, tz, state.i18n.lang, { hour: "2-digit", minute: "2-digit", hour12: false });
  $("date").textContent = formatDate(now, tz, state.i18n, { weekday: true });
}

function renderAll() {
  translate(document, state.i18n);
  document.title = `${pick(state.center?.name)} · ASAN`;
  $("center-name").textContent = pick(state.center?.name);
  renderNow();
  renderCounters();
  renderServices();
  renderClock();
}

async function useLang(lang) {
  state.i18n = await loadI18n(lang);
  renderAll();
}

// Every ROTATE_MS: the next page of queues, and (unless pinned) the next language.
function rotate() {
  state.page += 1;
  if (pinned || state.langs.length < 2) return renderServices();
  state.langIndex = (state.langIndex + 1) % state.langs.length;
  useLang(state.langs[state.langIndex]);
}

const announcer = new Announcer({
  onStart(call) {
    state.current = call;
    renderNow();
    restart($("now"));
  },
  onBlocked() {
    $("sound").hidden = false;
  },
});

function mergeServices(updates) {
  const byCode = new Map(updates.map((s) => [s.code, s]));
  state.services = state.services.map((s) => ({ ...s, ...(byCode.get(s.code) || {}) }));
}

// The call event says who is at its counter before the next `queue` event does.
function applyCall(call) {
  const counter = state.counters.find((c) => c.number === call.counter);
  if (counter) counter.current = { number: call.number, status: "called", service: call.service, called_at: call.called_at };
}

async function start() {
  state.i18n = await loadI18n(state.langs[0]);
  fitToScreen();
  window.addEventListener("resize", () => {
    fitToScreen();
    renderAll();
  });
  renderAll();
  setInterval(renderClock, 1000);
  setInterval(rotate, ROTATE_MS);

  $("sound").addEventListener("click", () => {
    $("sound").hidden = true; // the touch itself lets the page play sound from now on
  });

  subscribe(
    room(slug),
    {
      snapshot(snap) {
        state.center = snap.center;
        state.services = snap.services;
        state.counters = snap.counters;
        if (!announcer.pending) state.current = snap.recent_calls[0] || null;
        if (snap.now) state.clockOffset = Date.parse(snap.now) - Date.now();
        const langs = pinned ? [pinned] : snap.center.languages?.length ? snap.center.languages : ["az"];
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
        applyCall(call);
        flashing.set(call.counter, Date.now() + FLASH_MS);
        renderCounters();
        announcer.push(call);
      },
      queue(ev) {
        mergeServices(ev.services);
        if (Array.isArray(ev.counters)) state.counters = ev.counters;
        renderCounters();
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
