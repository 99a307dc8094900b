// Online booking pages: /book (center -> agency/service -> day -> slot -> details) and
// /book/manage/<token> (cancel with an in-page dialog, move with the same calendar).
// Talks only to the public JSON API. Dates use the catalogue's month and weekday names
// (phones' Intl data often lacks Azerbaijani); the calendar fits a 360 px screen.
import { loadI18n, formatTime, dayText, monthTitle, localDay } from "./js/i18n.js";
import { api as request, errorText } from "./js/api.js";

const $ = (sel) => document.querySelector(sel);
const pad = (n) => String(n).padStart(2, "0");
const PARTS = [
  ["morning", 0, 12],
  ["afternoon", 12, 17],
  ["evening", 17, 24],
];

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "data") Object.assign(node.dataset, v);
    else if (k.startsWith("aria-") || k === "scope" || k === "role") node.setAttribute(k, v);
    else node[k] = v;
  }
  node.append(...children);
  return node;
}

function button(text, label, onClick, disabled = false) {
  const b = el("button", { type: "button", disabled }, text);
  if (label) b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

// A month of days for one service: a table with a weekday header (Monday first), each day
// a button, free days marked, closed and full days not selectable. `onDay(iso)`.
class Calendar {
  constructor(root, { i18n, api, onDay }) {
    this.root = root;
    this.i18n = i18n;
    this.api = api;
    this.onDay = onDay;
    this.base = null;
    const today = localDay(null, "Asia/Baku");
    this.year = today.year;
    this.month = today.month;
    this.request = 0;
    const t = i18n.t.bind(i18n);
    this.title = el("h2", { class: "month-title", "aria-live": "polite" });
    this.prev = button(`‹ ${t("book.prev_month")}`, "", () => this.shift(-1));
    this.next = button(`${t("book.next_month")} ›`, "", () => this.shift(1));
    this.prev.className = this.next.className = "secondary";
    this.table = el("table", { class: "calendar" });
    root.replaceChildren(el("div", { class: "month-nav" }, this.prev, this.title, this.next), this.table);
  }

  show(base, timezone) {
    this.base = base;
    if (timezone) ({ year: this.year, month: this.month } = localDay(null, timezone));
    return this.render();
  }

  shift(delta) {
    const index = this.year * 12 + (this.month - 1) + delta;
    this.year = Math.floor(index / 12);
    this.month = (index % 12) + 1;
    return this.render();
  }

  async render() {
    const { i18n } = this;
    const ticket = ++this.request; // a slower answer for another month must not win
    this.title.textContent = monthTitle(this.year, this.month, i18n);
    const res = await this.api(`${this.base}/days?month=${this.year}-${pad(this.month)}`);
    if (ticket !== this.request) return;
    const byDay = new Map((res.data?.items || []).map((d) => [d.date, d]));
    const short = i18n.list("date.weekdays_short");
    const long = i18n.list("date.weekdays");
    const order = [1, 2, 3, 4, 5, 6, 0];
    const head = el("tr", {}, ...order.map((d) => el("th", { scope: "col" }, el("abbr", { title: long[d] }, short[d]))));
    const rows = [];
    const first = new Date(Date.UTC(this.year, this.month - 1, 1)).getUTCDay();
    const days = new Date(Date.UTC(this.year, this.month, 0)).getUTCDate();
    let row = el("tr");
    for (let i = 0; i < (first + 6) % 7; i++) row.append(el("td"));
    for (let d = 1; d <= days; d++) {
      const iso = `${this.year}-${pad(this.month)}-${pad(d)}`;
      const info = byDay.get(iso);
      const name = dayText({ year: this.year, month: this.month, day: d }, i18n, { weekday: true });
      const label = !info ? i18n.t("book.day_closed", { day: name })
        : info.free > 0 ? i18n.plural("book.day_free", info.free, { day: name })
        : i18n.t("book.day_full", { day: name });
      // The accessible name starts with the visible number (WCAG 2.5.3).
      const b = button(String(d), `${d}, ${label}`, () => this.onDay(iso), !info || info.free === 0);
      b.dataset.date = iso;
      if (info && info.free > 0) b.classList.add("room");
      row.append(el("td", {}, b));
      if (row.children.length === 7) {
        rows.push(row);
        row = el("tr");
      }
    }
    if (row.children.length) rows.push(row);
    this.table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    this.root.dataset.month = `${this.year}-${pad(this.month)}`;
  }
}

// Slots grouped by part of the day, each group a heading and its buttons.
function renderSlots(box, items, tz, i18n, onPick, labelKey = null) {
  const groups = PARTS.map(([part, from, to]) => {
    const slots = items.filter((s) => {
      const hour = Number(formatTime(s.start, tz, "en", { hour: "2-digit", hour12: false }));
      return hour >= from && hour < to;
    });
    if (!slots.length) return null;
    const buttons = slots.map((s) => {
      const time = formatTime(s.start, tz, i18n.lang);
      const extra = s.seats_left === undefined ? "" : s.seats_left > 0
        ? i18n.plural("book.seats_left", s.seats_left) : i18n.t("book.full");
      const label = labelKey ? `${time}, ${i18n.t(labelKey)}` : `${time}, ${extra}`;
      const b = button(time, label, () => onPick(s, tz), s.seats_left === 0);
      b.dataset.start = s.start;
      return b;
    });
    return el("div", { class: "slot-group", role: "group", "aria-label": i18n.t(`book.part.${part}`) },
      el("h3", {}, i18n.t(`book.part.${part}`)), el("div", { class: "slots" }, ...buttons));
  }).filter(Boolean);
  box.replaceChildren(...groups);
}

async function bookPage(root) {
  const i18n = await loadI18n(root.dataset.lang);
  const lang = i18n.lang;
  const api = (path, body) => request(`/api/v1${path}`, { body, lang });
  const state = { center: null, service: null, slot: null, day: 0 };
  const centerSel = $("#center"), agencySel = $("#agency"), serviceSel = $("#service");
  const base = () => `/centers/${encodeURIComponent(state.center.slug)}/services/${encodeURIComponent(state.service)}`;
  const calendar = new Calendar($("#calendar"), { i18n, api, onDay: chooseDay });

  const { data: centers } = await api("/centers");
  centerSel.append(new Option("—", ""));
  for (const c of centers?.items || []) centerSel.append(new Option(i18n.pick(c.name), c.slug));
  const wanted = new URLSearchParams(location.search).get("center");
  if (wanted) centerSel.value = wanted;

  async function chooseCenter() {
    for (const id of ["#step-service", "#step-date", "#step-slot", "#step-person"]) $(id).hidden = true;
    if (!centerSel.value) return;
    const { data } = await api(`/centers/${encodeURIComponent(centerSel.value)}`);
    state.center = data;
    agencySel.replaceChildren();
    const bookable = data.services.filter((s) => s.bookable);
    for (const a of data.agencies) {
      if (bookable.some((s) => s.agency === a.code)) agencySel.append(new Option(i18n.pick(a.name), a.code));
    }
    $("#step-service").hidden = false;
    chooseAgency();
  }

  function chooseAgency() {
    serviceSel.replaceChildren();
    const list = state.center.services.filter((s) => s.bookable && s.agency === agencySel.value);
    for (const s of list) serviceSel.append(new Option(i18n.pick(s.name), s.code));
    $("#no-services").hidden = list.length > 0;
    chooseService();
  }

  function chooseService() {
    state.service = serviceSel.value || null;
    $("#step-slot").hidden = true;
    $("#step-person").hidden = true;
    $("#step-date").hidden = !state.service;
    if (state.service) calendar.show(base(), state.center.timezone);
  }

  async function chooseDay(iso) {
    const ticket = ++state.day;
    // The times of the day chosen before are gone at once: a quick tap must never pick a time
    // of another day while this day's times are on their way.
    const box = $("#slots");
    box.replaceChildren();
    box.setAttribute("aria-busy", "true");
    delete box.dataset.day;
    $("#step-person").hidden = true;
    const { data } = await api(`${base()}/slots?date=${iso}`);
    if (ticket !== state.day) return; // another day was chosen meanwhile
    const items = data?.items || [];
    renderSlots(box, items, data?.timezone || state.center.timezone, i18n, pickSlot);
    box.dataset.day = iso;
    box.removeAttribute("aria-busy");
    $("#no-slots").hidden = items.some((s) => s.seats_left > 0);
    $("#step-slot").hidden = false;
    $("#slots button:not([disabled])")?.focus();
  }

  function pickSlot(slot, tz) {
    state.slot = slot;
    const when = `${formatDate(slot.start, tz)} ${formatTime(slot.start, tz, lang)}`;
    $("#chosen").textContent = i18n.t("book.chosen", { when });
    $("#form-error").textContent = "";
    $("#nearest").hidden = true;
    $("#step-person").hidden = false;
    $("#name").focus();
  }

  const formatDate = (iso, tz) => dayText(localDay(iso, tz), i18n, { weekday: true, year: true });

  $("#step-person").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {
      center: state.center.slug, service: state.service, start: state.slot.start,
      name: $("#name").value, phone: $("#phone").value, lang,
    };
    if ($("#email").value.trim()) body.email = $("#email").value.trim();
    $("#submit").disabled = true;
    const res = await api("/appointments", body);
    $("#submit").disabled = false;
    if (res.status === 201) {
      location.assign(`${res.data.links.manage}?lang=${lang}`);
      return;
    }
    const err = res.error || {};
    const nearest = err.nearest || [];
    const fields = { name: "#name", phone: "#phone", email: "#email" };
    const field = fields[err.field] || { invalid_name: "#name", invalid_phone: "#phone", invalid_email: "#email" }[err.code];
    for (const sel of Object.values(fields)) $(sel).removeAttribute("aria-invalid");
    let text = nearest.length ? i18n.t("book.slot_taken") : errorText(i18n, err, "book.error");
    if (field) {
      $(field).setAttribute("aria-invalid", "true");
      const label = document.querySelector(`label[for="${field.slice(1)}"]`)?.textContent || "";
      if (err.field) text = `${label}: ${text}`;
      $(field).focus();
    }
    $("#form-error").textContent = text;
    $("#nearest").hidden = !nearest.length;
    renderSlots($("#nearest"), nearest, state.center.timezone, i18n, pickSlot);
  });

  centerSel.addEventListener("change", chooseCenter);
  agencySel.addEventListener("change", chooseAgency);
  serviceSel.addEventListener("change", chooseService);
  if (centerSel.value) await chooseCenter();
  root.dataset.ready = "1";
}

async function managePage(root) {
  const i18n = await loadI18n(root.dataset.lang);
  const api = (path, body) => request(`/api/v1${path}`, { body, lang: i18n.lang });
  const token = root.dataset.token, tz = root.dataset.timezone;
  const say = (text) => { $("#message").textContent = text; };
  const dialog = $("#cancel-dialog");
  $("#cancel")?.addEventListener("click", () => dialog.showModal());
  $("#cancel-no")?.addEventListener("click", () => dialog.close());
  $("#cancel-yes")?.addEventListener("click", async () => {
    dialog.close();
    const res = await api(`/appointments/${token}/cancel`, {});
    if (res.ok) location.reload();
    else say(errorText(i18n, res.error, "book.error"));
  });
  const box = $("#move-slots");
  if (box) {
    const base = `/centers/${encodeURIComponent(root.dataset.center)}/services/${encodeURIComponent(root.dataset.service)}`;
    let day = 0;
    const calendar = new Calendar($("#move-calendar"), {
      i18n,
      api,
      async onDay(iso) {
        const ticket = ++day;
        const { data } = await api(`${base}/slots?date=${iso}`);
        if (ticket !== day) return; // only the last chosen day's times are shown
        const items = data?.items || [];
        renderSlots(box, items, tz, i18n, async (s) => {
          const res = await api(`/appointments/${token}/reschedule`, { start: s.start });
          if (res.ok) location.reload();
          else say(errorText(i18n, res.error, "book.error"));
        }, "book.move_here");
        say(items.some((s) => s.seats_left !== 0) ? "" : i18n.t("book.no_slots"));
      },
    });
    calendar.show(base, tz);
  }
  root.dataset.ready = "1";
}

if ($("#book")) bookPage($("#book"));
if ($("#manage")) managePage($("#manage"));
