// Translations for browser pages: the same catalogs as the server (/i18n/<lang>.json).
// Usage: const i18n = await loadI18n("az"); i18n.t("kiosk.title", {n: 3});
// Elements with data-i18n="key" get their text replaced by translate(root, i18n);
// data-i18n-attr="aria-label:key;title:key2" sets attributes.

const cache = new Map();

export const LANGS = ["az", "ru", "en"];

export async function loadI18n(lang) {
  if (!LANGS.includes(lang)) lang = "az";
  if (!cache.has(lang)) {
    cache.set(lang, fetch(`/i18n/${lang}.json`).then((r) => {
      if (!r.ok) throw new Error(`catalog ${lang}: ${r.status}`);
      return r.json();
    }));
  }
  const catalog = await cache.get(lang);
  return {
    lang,
    t(key, values = {}) {
      const text = catalog[key] ?? key;
      return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
    },
    // A {"az": ..., "ru": ..., "en": ...} name in this language (az as fallback).
    pick(names) {
      if (!names) return "";
      return names[lang] || names.az || Object.values(names)[0] || "";
    },
  };
}

export function translate(root, i18n) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = i18n.t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr.trim(), i18n.t(key.trim()));
    }
  }
  if (root === document) document.documentElement.lang = i18n.lang;
}

// Local date/time in the center's timezone (Intl does the zone arithmetic).
export function formatTime(iso, timeZone, lang, opts = { hour: "2-digit", minute: "2-digit" }) {
  const locale = { az: "az-Latn-AZ", ru: "ru-RU", en: "en-GB" }[lang] || "az-Latn-AZ";
  return new Intl.DateTimeFormat(locale, { timeZone, ...opts }).format(iso ? new Date(iso) : new Date());
}

// The ETA of a ticket or a service as the queue model quotes it: a range of minutes, or why
// there is none (no counter open, with when counters open), never "0 min" by default.
export function etaText(i18n, item, timeZone) {
  if (item?.eta_status === "day_closed") return i18n.t("eta.day_closed");
  if (!item || item.eta_minutes === null || item.eta_minutes === undefined || item.eta_status === "no_counter") {
    if (item?.counters_open_at) {
      return i18n.t("eta.opens_at", { time: formatTime(item.counters_open_at, timeZone, i18n.lang) });
    }
    return i18n.t("eta.no_counter");
  }
  const range = item.eta_range || { low: item.eta_minutes, high: item.eta_minutes };
  const text = i18n.t("eta.range", range);
  return item.eta_status === "past_closing" ? `${text} · ${i18n.t("eta.past_closing")}` : text;
}
