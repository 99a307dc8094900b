// Online booking pages: /book (center -> agency/service -> day -> slot -> details) and
// /book/manage/<token> (cancel, move). Talks only to the public JSON API.
import { loadI18n, formatTime } from "./js/i18n.js";

const $ = (sel) => document.querySelector(sel);

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const res = await fetch(`/api/v1${path}`, init);
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, data };
}

function button(text, label, onClick, disabled = false) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (label) b.setAttribute("aria-label", label);
  b.disabled = disabled;
  b.addEventListener("click", onClick);
  return b;
}

function monthKey(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

async function bookPage(root) {
  const i18n = await loadI18n(root.dataset.lang);
  const lang = i18n.lang;
  const state = { center: null, service: null, month: new Date(), slot: null };
  const centerSel = $("#center"), agencySel = $("#agency"), serviceSel = $("#service");

  const { data: centers } = await api("/centers");
  centerSel.append(new Option("—", ""));
  for (const c of centers.items || []) centerSel.append(new Option(i18n.pick(c.name), c.slug));
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
    if (state.service) renderMonth();
  }

  const base = () => `/centers/${encodeURIComponent(state.center.slug)}/services/${encodeURIComponent(state.service)}`;

  async function renderMonth() {
    const m = state.month;
    $("#month-title").textContent = new Intl.DateTimeFormat(
      { az: "az-Latn-AZ", ru: "ru-RU", en: "en-GB" }[lang], { month: "long", year: "numeric" },
    ).format(m);
    const { data } = await api(`${base()}/days?month=${monthKey(m)}`);
    const byDay = new Map((data.items || []).map((d) => [d.date, d]));
    const cal = $("#calendar");
    cal.replaceChildren();
    const first = new Date(m.getFullYear(), m.getMonth(), 1);
    const days = new Date(m.getFullYear(), m.getMonth() + 1, 0).getDate();
    for (let i = 0; i < (first.getDay() + 6) % 7; i++) cal.append(document.createElement("span"));
    for (let d = 1; d <= days; d++) {
      const iso = `${monthKey(m)}-${String(d).padStart(2, "0")}`;
      const info = byDay.get(iso);
      const label = !info ? i18n.t("book.day_closed", { day: iso })
        : info.free > 0 ? i18n.t("book.day_free", { day: iso, free: info.free })
        : i18n.t("book.day_full", { day: iso });
      const b = button(String(d), label, () => chooseDay(iso), !info || info.free === 0);
      b.dataset.date = iso;
      if (info && info.free > 0) b.classList.add("room");
      cal.append(b);
    }
  }

  async function chooseDay(iso) {
    const { data } = await api(`${base()}/slots?date=${iso}`);
    renderSlots($("#slots"), data.items || [], data.timezone, pickSlot);
    $("#no-slots").hidden = (data.items || []).some((s) => s.seats_left > 0);
    $("#step-slot").hidden = false;
    $("#step-person").hidden = true;
    $("#slots button:not([disabled])")?.focus();
  }

  function renderSlots(box, items, tz, onPick) {
    box.replaceChildren();
    for (const s of items) {
      const time = formatTime(s.start, tz, lang);
      const extra = s.seats_left === undefined ? "" : s.seats_left > 0
        ? i18n.t("book.seats_left", { n: s.seats_left }) : i18n.t("book.full");
      const b = button(time, `${time} ${extra}`, () => onPick(s, tz), s.seats_left === 0);
      b.dataset.start = s.start;
      box.append(b);
    }
  }

  function pickSlot(slot, tz) {
    state.slot = slot;
    const when = `${formatTime(slot.start, tz, lang, { dateStyle: "full" })} ${formatTime(slot.start, tz, lang)}`;
    $("#chosen").textContent = i18n.t("book.chosen", { when });
    $("#form-error").textContent = "";
    $("#nearest").hidden = true;
    $("#step-person").hidden = false;
    $("#name").focus();
  }

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
    const err = res.data.error || {};
    const nearest = err.nearest || [];
    $("#form-error").textContent = nearest.length ? i18n.t("book.slot_taken") : (err.message || i18n.t("book.error"));
    $("#nearest").hidden = !nearest.length;
    renderSlots($("#nearest"), nearest, state.center.timezone, pickSlot);
  });

  centerSel.addEventListener("change", chooseCenter);
  agencySel.addEventListener("change", chooseAgency);
  serviceSel.addEventListener("change", chooseService);
  $("#prev-month").addEventListener("click", () => { state.month = new Date(state.month.getFullYear(), state.month.getMonth() - 1, 1); renderMonth(); });
  $("#next-month").addEventListener("click", () => { state.month = new Date(state.month.getFullYear(), state.month.getMonth() + 1, 1); renderMonth(); });
  if (centerSel.value) await chooseCenter();
  root.dataset.ready = "1";
}

async function managePage(root) {
  const i18n = await loadI18n(root.dataset.lang);
  const lang = i18n.lang, token = root.dataset.token, tz = root.dataset.timezone;
  const say = (text) => { $("#message").textContent = text; };
  $("#cancel")?.addEventListener("click", async () => {
    if (!window.confirm(i18n.t("book.cancel_confirm"))) return;
    const res = await api(`/appointments/${token}/cancel`, {});
    if (res.ok) location.reload();
    else say(res.data.error?.message || i18n.t("book.error"));
  });
  $("#move-date")?.addEventListener("change", async (ev) => {
    const box = $("#move-slots");
    box.replaceChildren();
    const path = `/centers/${root.dataset.center}/services/${root.dataset.service}/slots?date=${ev.target.value}`;
    const { data } = await api(path);
    for (const s of data.items || []) {
      const time = formatTime(s.start, tz, lang);
      box.append(button(time, `${i18n.t("book.move_here")}: ${time}`, async () => {
        const res = await api(`/appointments/${token}/reschedule`, { start: s.start });
        if (res.ok) location.reload();
        else say(res.data.error?.message || i18n.t("book.error"));
      }, s.seats_left === 0));
    }
    if (!box.children.length) say(i18n.t("book.no_slots"));
  });
  root.dataset.ready = "1";
}

if ($("#book")) bookPage($("#book"));
if ($("#manage")) managePage($("#manage"));
