// The head office: every center's dashboard side by side, each card live in its room.
import { loadI18n } from "/static/js/i18n.js";
import { subscribe } from "/static/js/live.js";
import { alertText, el, pct, pick, setLive } from "./common.js";

const root = document.getElementById("overview");
const i18n = await loadI18n(root.dataset.lang);

for (const card of root.querySelectorAll("[data-center]")) {
  const render = (d) => {
    card.querySelector('[data-field="waiting"]').textContent = String(d.waiting);
    card.querySelector('[data-field="served"]').textContent = String(d.served_today);
    card.querySelector('[data-field="level"]').textContent = pct(d.service_level);
    card.querySelector('[data-field="alerts"]').replaceChildren(
      ...d.alerts.map((a) => {
        const service = d.services.find((x) => x.service === a.subject);
        return el("li", { class: "sv-alert" }, alertText(i18n, { ...a, subject: service ? pick(service.name, i18n.lang) : a.subject }));
      }));
  };
  subscribe({ supervise: card.dataset.center }, { snapshot: render, dashboard: render, status: (on) => setLive(i18n, on) });
}
