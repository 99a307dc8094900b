// Rendering of the kiosk's lists and ticket screen (no network here).
import { etaText, formatTime } from "/static/js/i18n.js";

export const PRIORITIES = ["disability", "elderly", "veteran", "pregnancy"];

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "data") Object.assign(node.dataset, v);
    else if (k.startsWith("aria-") || k === "role") node.setAttribute(k, v);
    else node[k] = v;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// Why the center takes no walk-in ticket now (null when open).
export function closedText(center, i18n) {
  if (!center || center.open_now !== false) return null;
  const reason = center.closed_reason || "day_off";
  const text = i18n.t(`hours.${reason}`, { time: center.opens_at || "" });
  const note = center.closed_note ? i18n.pick(center.closed_note) : "";
  return note ? `${text}: ${note}` : text;
}

export function hoursText(center, i18n) {
  const hours = (center?.hours_today || []).map((p) => `${p.opens}–${p.closes}`).join(", ");
  const closed = closedText(center, i18n);
  if (closed) return closed;
  return hours ? i18n.t("hours.today", { hours }) : "";
}

// Why one service cannot be chosen (null when it can): the server's own verdict
// (`tickets_available`, `unavailable_reason`), in the kiosk's words.
export function serviceUnavailable(center, service, i18n) {
  const closed = closedText(center, i18n);
  if (closed) return closed;
  if (!service.walk_in || service.unavailable_reason === "service_not_walk_in") return i18n.t("kiosk.by_appointment");
  if (service.tickets_available === false) {
    if (service.unavailable_reason === "no_more_tickets") {
      const more = service.bookable ? ` · ${i18n.t("kiosk.book_online")}` : "";
      return `${i18n.t("kiosk.no_more_tickets")}${more}`;
    }
    return closedText({ ...center, open_now: false }, i18n);
  }
  return null;
}

// Keep each tile's element across re-renders (counts change with every queue event): a press
// that spans a refresh lands on the same button, where a replaced one would lose the tap.
function renderKeyed(container, key, nodes) {
  const old = new Map([...container.children].map((n) => [n.dataset[key], n]));
  nodes.forEach((fresh, i) => {
    let node = fresh;
    const prev = old.get(fresh.dataset[key]);
    if (prev && prev.tagName === fresh.tagName) {
      old.delete(fresh.dataset[key]);
      prev.replaceChildren(...fresh.childNodes);
      prev.className = fresh.className;
      prev.disabled = fresh.disabled;
      if (fresh.hasAttribute("aria-disabled")) prev.setAttribute("aria-disabled", "true");
      else prev.removeAttribute("aria-disabled");
      prev.onclick = fresh.onclick;
      node = prev;
    }
    if (container.children[i] !== node) container.insertBefore(node, container.children[i] || null);
  });
  for (const stale of old.values()) stale.remove();
}

export function renderAgencies(container, center, i18n, onChoose) {
  const tiles = [];
  for (const agency of center.agencies) {
    const services = center.services.filter((s) => s.agency === agency.code);
    if (!services.length) continue;
    const waiting = services.reduce((n, s) => n + s.waiting, 0);
    const button = el(
      "button",
      { type: "button", class: "tile", data: { agency: agency.code } },
      el("span", { class: "tile-title" }, i18n.pick(agency.name)),
      el("span", { class: "tile-meta" }, `${i18n.plural("kiosk.services_count", services.length)} · ${i18n.t("kiosk.waiting", { n: waiting })}`),
    );
    button.onclick = () => onChoose(agency);
    tiles.push(button);
  }
  renderKeyed(container, "agency", tiles);
}

export function renderServices(container, center, agency, i18n, onChoose) {
  const tiles = [];
  for (const service of center.services.filter((s) => s.agency === agency.code)) {
    const why = serviceUnavailable(center, service, i18n);
    const bring = i18n.pick(service.bring);
    const button = el(
      "button",
      { type: "button", class: "service", data: { service: service.code } },
      el("span", { class: "service-name" }, i18n.pick(service.name)),
      bring ? el("span", { class: "service-bring" }, i18n.t("kiosk.bring", { items: bring })) : null,
      el(
        "span",
        { class: "service-load" },
        el("span", { class: "waiting" }, i18n.t("kiosk.waiting", { n: service.waiting })),
        el("span", { class: "eta" }, etaText(i18n, service, center.timezone)),
      ),
      why ? el("span", { class: "service-closed" }, why) : null,
    );
    if (why) {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    } else {
      button.onclick = (ev) => onChoose(service, ev);
    }
    tiles.push(button);
  }
  renderKeyed(container, "service", tiles);
}

export function renderPriorities(container, i18n, current, onChoose) {
  container.replaceChildren();
  for (const reason of [null, ...PRIORITIES]) {
    const button = el(
      "button",
      { type: "button", class: "choice", "aria-pressed": String(reason === current), data: { priority: reason || "" } },
      reason ? i18n.t(`priority.${reason}`) : i18n.t("kiosk.priority_none"),
    );
    button.addEventListener("click", () => onChoose(reason));
    container.append(button);
  }
}

export function renderTicket(ticket, i18n, timeZone, maskedPhone = "") {
  document.getElementById("ticket-number").textContent = ticket.number;
  document.getElementById("ticket-service").textContent = i18n.pick(ticket.service_name);
  document.getElementById("ticket-ahead").textContent = i18n.t("kiosk.people_ahead", { n: ticket.people_ahead });
  document.getElementById("ticket-eta").textContent = i18n.t("kiosk.ticket_eta", { eta: etaText(i18n, ticket, timeZone) });
  const extra = [];
  if (ticket.priority) extra.push(i18n.t("kiosk.ticket_priority", { reason: i18n.t(`priority.${ticket.priority}`) }));
  if (maskedPhone) extra.push(i18n.t("kiosk.ticket_sms", { phone: maskedPhone }));
  document.getElementById("ticket-extra").textContent = extra.join(" · ");
  document.getElementById("ticket-print").textContent = i18n.t("kiosk.printing");
  const canvas = document.getElementById("ticket-qr");
  canvas.width = canvas.height = 1;
  delete canvas.dataset.url;
}

export function comeBackText(iso, center, i18n) {
  const time = iso ? formatTime(iso, center.timezone, i18n.lang) : "";
  return i18n.t("kiosk.too_early", { time });
}
