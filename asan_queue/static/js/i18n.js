// Translations for browser pages: the same catalogs as the server (/i18n/<lang>.json).
// Usage: const i18n = await loadI18n("az"); i18n.t("kiosk.title", {n: 3});
//        i18n.plural("kiosk.services_count", 3) picks kiosk.services_count.<one|few|many|other>.
// Elements with data-i18n="key" get their text replaced by translate(root, i18n);
// data-i18n-attr="aria-label:key;title:key2" sets attributes.
// Dates use the catalogue's own month and weekday names: browsers' Intl data lacks
// Azerbaijani on many kiosks, TVs and phones ("2026 M12", "Thu").

const cache = new Map();

export const LANGS = ["az", "ru", "en"];

// Plural categories as the catalogue names them. Azerbaijani nouns stay singular after a
// numeral ("3 xidmət"), so az has one form; Russian has three.
const PLURAL = {
  az: () => "other",
  en: (n) => (n === 1 ? "one" : "other"),
  ru: (n) => {
    const d = n % 10;
    const h = n % 100;
    if (d === 1 && h !== 11) return "one";
    if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return "few";
    return "many";
  },
};

export async function loadI18n(lang) {
  if (!LANGS.includes(lang)) lang = "az";
  if (!cache.has(lang)) {
    cache.set(lang, fetch(`/i18n/${lang}.json`).then((r) => {
      if (!r.ok) throw new Error(`catalog ${lang}: ${r.status}`);
      return r.json();
    }));
  }
  const catalog = await cache.get(lang);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
  return {
    lang,
    t(key, values = {}) {
      return fill(catalog[key] ?? key, values);
    },
    has(key) {
      return key in catalog;
    },
    // `key.<category>` for the count `n` (also given to the text as {n}).
    plural(key, n, values = {}) {
      const form = `${key}.${PLURAL[lang](Math.abs(Number(n)))}`;
      const text = catalog[form] ?? catalog[`${key}.other`] ?? form;
      return fill(text, { n, ...values });
    },
    // A {"az": ..., "ru": ..., "en": ...} name in this language (az as fallback).
    pick(names) {
      if (!names) return "";
      return names[lang] || names.az || Object.values(names)[0] || "";
    },
    list(key) {
      return (catalog[key] ?? "").split(",");
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

// Local time in the center's timezone (Intl does the zone arithmetic; digits only, which
// every browser formats correctly whatever its locale data).
export function formatTime(iso, timeZone, lang, opts = { hour: "2-digit", minute: "2-digit" }) {
  const locale = { az: "az-Latn-AZ", ru: "ru-RU", en: "en-GB" }[lang] || "az-Latn-AZ";
  return new Intl.DateTimeFormat(locale, { timeZone, hourCycle: "h23", ...opts }).format(iso ? new Date(iso) : new Date());
}

// The calendar day of `iso` in `timeZone`: {year, month (1-12), day, weekday (0 = Sunday)}.
export function localDay(iso, timeZone) {
  const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(iso ? new Date(iso) : new Date())
    .split("-")
    .map(Number);
  return { year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

// Azerbaijani capitalises i as İ (iyun -> İyun), which only the az case rules know.
const capital = (text, lang) => text.charAt(0).toLocaleUpperCase(lang === "az" ? "az" : "en") + text.slice(1);

// "Bazar ertəsi, 30 noyabr" (weekday), "30 noyabr 2026" (year), from the catalogue's names.
export function formatDate(iso, timeZone, i18n, { weekday = false, year = false } = {}) {
  return dayText(localDay(iso, timeZone), i18n, { weekday, year });
}

// The same for a plain {year, month, day} (a calendar date, no time zone involved).
export function dayText({ year: y, month, day }, i18n, { weekday = false, year = false } = {}) {
  const date = `${day} ${i18n.list("date.months")[month - 1]}${year ? ` ${y}` : ""}`;
  if (!weekday) return date;
  const wd = i18n.list("date.weekdays")[new Date(Date.UTC(y, month - 1, day)).getUTCDay()];
  return capital(`${wd}, ${date}`, i18n.lang);
}

// "Dekabr 2026": a month as a calendar's title.
export function monthTitle(year, month, i18n) {
  return capital(`${i18n.list("date.months_title")[month - 1]} ${year}`, i18n.lang);
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
