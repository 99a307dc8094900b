// The small screen above a counter: the number being served there, or that it is closed.
// It follows the public `center:<slug>` room (the counter room is for the logged-in desk).
import { subscribe } from "/static/js/live.js";
import { loadI18n, translate, formatTime } from "/static/js/i18n.js";

const [, , slug, , numberText] = location.pathname.split("/").map(decodeURIComponent);
const number = Number(numberText);
const $ = (id) => document.getElementById(id);
let i18n = null;
let counter = null;
let timezone = "Asia/Baku";

function render() {
  translate(document, i18n);
  $("counter-number").textContent = String(number);
  const screen = $("screen");
  const current = counter?.current;
  const serving = Boolean(current && counter.state !== "closed");
  $("serving-label").hidden = !serving;
  $("serving-number").textContent = serving ? current.number : "";
  let text = "";
  if (!serving) {
    if (!counter || counter.state === "closed") text = i18n.t("hall.closed");
    else if (counter.state === "paused") text = i18n.t("hall.paused");
    else text = i18n.t("hall.free");
  }
  $("state-text").textContent = text;
  screen.classList.toggle("is-closed", !counter || counter.state === "closed");
  screen.dataset.state = counter ? counter.state : "unknown";
}

function take(counters) {
  const found = counters.find((c) => c.number === number);
  if (found) counter = found;
  render();
}

async function start() {
  i18n = await loadI18n(new URLSearchParams(location.search).get("lang") || "az");
  render();
  setInterval(() => {
    $("clock").textContent = formatTime(null, timezone, i18n.lang, { hour: "2-digit", minute: "2-digit", hour12: false });
  }, 1000);
  subscribe(
    { center: slug },
    {
      snapshot(snap) {
        timezone = snap.center.timezone;
        take(snap.counters);
        document.body.dataset.ready = "true";
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
