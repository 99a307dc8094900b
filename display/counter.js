// The small screen above a counter: the ticket called to it or served at it (saying which),
// or that it is free, paused or closed. It flashes when a ticket is called here and its
// labels take turns in the center's languages (unless `?lang=` pins one).
// It follows the public `center:<slug>` room (the counter room is for the logged-in desk).
import { subscribe } from "/static/js/live.js";
import { loadI18n, translate, formatTime } from "/static/js/i18n.js";

const ROTATE_MS = 8000;
const [, , slug, , numberText] = location.pathname.split("/").map(decodeURIComponent);
const number = Number(numberText);
const params = new URLSearchParams(location.search);
const pinned = ["az", "ru", "en"].includes(params.get("lang")) ? params.get("lang") : null;
const $ = (id) => document.getElementById(id);
let i18n = null;
let counter = null;
let timezone = "Asia/Baku";
let langs = [pinned || "az"];
let langIndex = 0;
let shown = ""; // "<number>:<status>" on screen, to flash on a new call

function flash() {
  const main = $("main");
  main.classList.remove("flash");
  void main.offsetWidth;
  main.classList.add("flash");
}

function render() {
  translate(document, i18n);
  $("counter-number").textContent = String(number);
  const screen = $("screen");
  const current = counter?.current;
  const atCounter = Boolean(current && counter.state !== "closed" && ["called", "serving"].includes(current.status));
  $("serving-label").hidden = !atCounter;
  $("serving-label").textContent = atCounter ? i18n.t(current.status === "called" ? "hall.called" : "hall.serving") : "";
  $("serving-number").textContent = atCounter ? current.number : "";
  let text = "";
  if (!atCounter) {
    if (!counter || counter.state === "closed") text = i18n.t("hall.closed");
    else if (counter.state === "paused") text = i18n.t("hall.paused");
    else text = i18n.t("hall.free");
  }
  $("state-text").textContent = text;
  screen.classList.toggle("is-closed", !counter || counter.state === "closed");
  screen.dataset.state = counter ? counter.state : "unknown";
  screen.dataset.status = atCounter ? current.status : "none";
  const now = atCounter ? `${current.number}:${current.status}` : "";
  if (atCounter && current.status === "called" && now !== shown) flash();
  shown = now;
}

function take(counters) {
  const found = counters?.find((c) => c.number === number);
  if (found) counter = found;
  render();
}

async function useLang(lang) {
  i18n = await loadI18n(lang);
  render();
  renderClock();
}

function renderClock() {
  $("clock").textContent = formatTime(null, timezone, i18n.lang, { hour: "2-digit", minute: "2-digit", hour12: false });
}

async function start() {
  i18n = await loadI18n(langs[0]);
  render();
  setInterval(renderClock, 1000);
  setInterval(() => {
    if (langs.length < 2) return;
    langIndex = (langIndex + 1) % langs.length;
    useLang(langs[langIndex]);
  }, ROTATE_MS);
  subscribe(
    { center: slug },
    {
      snapshot(snap) {
        timezone = snap.center.timezone;
        if (!pinned && snap.center.languages?.length) langs = snap.center.languages;
        take(snap.counters);
        document.body.dataset.ready = "true";
      },
      ticket_called(call) {
        if (call.counter !== number || !counter) return;
        counter = { ...counter, current: { number: call.number, status: "called", service: call.service, called_at: call.called_at } };
        if (call.recall) shown = ""; // a recall flashes again
        render();
      },
      queue(ev) {
        take(ev.counters);
      },
      status(connected) {
        $("offline").hidden = connected;
      },
    },
  );
}

start();
