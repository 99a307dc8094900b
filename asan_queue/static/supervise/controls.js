// A supervisor's controls, mountable anywhere: mountControls(element, slug) renders every
// counter (open, pause with a reason code, close, services of today) and every waiting
// ticket (transfer, priority, first, remove, call to a counter) of the center, each action
// asking for the reason that is recorded. It follows the center's room and reloads its
// state on every change, so what it shows is what the hall is. The controls page mounts it
// alone; the live dashboard embeds the same function.
import { subscribe } from "/static/js/live.js";
import { loadI18n } from "/static/js/i18n.js";
import { api, errorText } from "/static/js/api.js";

const PAUSE_CODES = ["lunch", "paperwork", "technical", "training", "other"];
const PRIORITIES = ["disability", "elderly", "veteran", "pregnancy"];

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

export async function mountControls(element, slug, { lang } = {}) {
  const i18n = await loadI18n(lang || document.documentElement.lang || "az");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const t = (key, values) => i18n.t(key, values);
  let state = null;
  let panelFor = null; // the key of the button whose form is open
  let returnFocus = null;
  let uid = 0;
  const id = (name) => `sv-${slug}-${name}-${++uid}`;

  const status = h("div", { class: "message", role: "status", "aria-live": "polite" });
  const problem = h("div", { class: "problem", role: "alert", "aria-live": "assertive" });
  const counters = h("div", { class: "sv-counters" });
  const panel = h("div", { class: "sv-panel-slot" });
  const waiting = h("div", { class: "sv-waiting" });
  element.replaceChildren(status, problem, panel, counters, waiting);
  element.classList.add("sv-controls");

  function say(text) {
    problem.textContent = "";
    status.textContent = text;
  }
  function complain(text) {
    status.textContent = "";
    problem.textContent = text;
  }

  async function load() {
    const res = await api(`/api/v1/supervise/${slug}`, { lang: i18n.lang });
    if (!res.ok) {
      complain(errorText(i18n, res.error, "sv.err.failed"));
      return;
    }
    state = res.data;
    render();
  }

  async function send(path, body, doneKey, values) {
    const key = panelFor;
    const res = await api(path, { body, lang: i18n.lang, headers: { "X-CSRFToken": csrf } });
    if (!res.ok) {
      complain(errorText(i18n, res.error, "sv.err.failed"));
      return false;
    }
    say(t(doneKey, values));
    if (panelFor === key) closePanel(false); // not a form opened meanwhile
    await load();
    return true;
  }

  function closePanel(focusBack = true) {
    panel.replaceChildren();
    const key = panelFor;
    panelFor = null;
    if (focusBack && key) element.querySelector(`[data-key="${key}"]`)?.focus();
    else if (returnFocus) element.querySelector(`[data-key="${returnFocus}"]`)?.focus();
  }

  // One form at a time, above the tables: its fields, a reason (always recorded), go/cancel.
  function openPanel(key, title, fields, submit) {
    panelFor = key;
    returnFocus = key;
    const reasonId = id("reason");
    const titleId = id("title");
    const reason = h("input", { id: reasonId, name: "reason", maxlength: "300", "aria-required": "true", autocomplete: "off" });
    const form = h(
      "form",
      { class: "inline-form sv-panel", "aria-labelledby": titleId },
      h("h2", { id: titleId, text: title }),
      ...fields,
      h("label", { for: reasonId, text: t("sv.reason") }),
      reason,
      h("button", { type: "submit", text: t("sv.go") }),
      h("button", { type: "button", class: "secondary", text: t("sv.cancel"), onclick: () => closePanel() }),
    );
    form.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.preventDefault();
        closePanel();
      }
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) {
        complain(t("errors.why_required"));
        reason.focus();
        return;
      }
      submit(new FormData(form), reason.value.trim());
    });
    panel.replaceChildren(form);
    (form.querySelector("select, input") || reason).focus();
  }

  function select(name, label, options) {
    const sid = id(name);
    return [
      h("label", { for: sid, text: label }),
      h("select", { id: sid, name }, ...options.map(([value, text]) => h("option", { value, text }))),
    ];
  }

  const serviceOptions = () => state.services.map((s) => [s.code, i18n.pick(s.name)]);
  const counterOptions = () => state.counters.map((c) => [String(c.number), t("desk.counter_n", { n: c.number }) + (c.label ? ` · ${c.label}` : "")]);

  function counterActions(c) {
    const base = `/api/v1/supervise/counters/${c.id}`;
    const name = t("desk.counter_n", { n: c.number });
    const button = (action, text, onclick) =>
      h("button", { type: "button", class: "secondary", "data-key": `c${c.id}-${action}`, "aria-label": `${text}: ${name}`, text, onclick });
    const state_ = (target) => (data, reason) =>
      send(`${base}/state`, { state: target, code: data.get("code") || null, reason }, `sv.done.${target}`, { name });
    const out = [];
    if (c.state !== "open") out.push(button("open", t("sv.open"), () => openPanel(`c${c.id}-open`, `${t("sv.open")}: ${name}`, [], state_("open"))));
    if (c.state !== "paused") {
      out.push(button("pause", t("sv.pause"), () =>
        openPanel(`c${c.id}-pause`, `${t("sv.pause")}: ${name}`, select("code", t("desk.pause_reason"), PAUSE_CODES.map((p) => [p, t(`pause.code_${p}`)])), state_("paused"))));
    }
    if (c.state !== "closed") out.push(button("close", t("sv.close"), () => openPanel(`c${c.id}-close`, `${t("sv.close")}: ${name}`, [], state_("closed"))));
    out.push(button("services", t("sv.services"), () => {
      const serving = new Set(c.today_services || c.services);
      const boxes = state.services.map((s) => {
        const bid = id("svc");
        return h("label", { class: "check", for: bid }, h("input", { type: "checkbox", id: bid, name: "services", value: s.code, checked: serving.has(s.code) }), i18n.pick(s.name));
      });
      const group = h("fieldset", { class: "sv-services" }, h("legend", { text: t("sv.services_today") }), ...boxes);
      openPanel(`c${c.id}-services`, `${t("sv.services")}: ${name}`, [group], (data, reason) =>
        send(`${base}/services`, { services: data.getAll("services"), reason }, "sv.done.services", { name }));
    }));
    if (c.today_services) {
      out.push(button("own", t("sv.services_own"), () =>
        openPanel(`c${c.id}-own`, `${t("sv.services_own")}: ${name}`, [], (data, reason) =>
          send(`${base}/services`, { services: null, reason }, "sv.done.services", { name }))));
    }
    return out;
  }

  function ticketActions(w) {
    const base = `/api/v1/supervise/${slug}/tickets/${encodeURIComponent(w.number)}`;
    const number = w.number;
    const button = (action, text, onclick) =>
      h("button", { type: "button", class: "secondary", "data-key": `t${w.number}-${action}`, "aria-label": `${text}: ${number}`, text, onclick });
    const open = (action, fields, submit) => openPanel(`t${w.number}-${action}`, `${t(`sv.${action}`)}: ${number}`, fields, submit);
    return [
      button("move", t("sv.move"), () =>
        open("move", [
          ...select("service", t("sv.to_service"), [["", t("desk.transfer_same_service")], ...serviceOptions()]),
          ...select("counter", t("sv.to_counter"), [["", t("desk.transfer_any_counter")], ...counterOptions()]),
        ], (data, reason) => {
          const counter = data.get("counter");
          return send(`${base}/move`, { service: data.get("service") || null, counter: counter ? Number(counter) : null, reason }, "sv.done.move", { number });
        })),
      button("priority", t("sv.priority"), () =>
        open("priority", select("priority", t("sv.priority_kind"), PRIORITIES.map((p) => [p, t(`priority.${p}`)])), (data, reason) =>
          send(`${base}/priority`, { priority: data.get("priority"), reason }, "sv.done.priority", { number }))),
      button("first", t("sv.first"), () => open("first", [], (data, reason) => send(`${base}/first`, { reason }, "sv.done.first", { number }))),
      button("remove", t("sv.remove"), () => open("remove", [], (data, reason) => send(`${base}/remove`, { reason }, "sv.done.remove", { number }))),
      button("call", t("sv.call"), () =>
        open("call", select("counter", t("sv.to_counter"), counterOptions()), (data, reason) =>
          send(`${base}/call`, { counter: Number(data.get("counter")), reason }, "sv.done.call", { number }))),
    ];
  }

  function table(caption, heads, rows) {
    return h(
      "table",
      { class: "sv-table" },
      h("caption", { text: caption }),
      h("thead", {}, h("tr", {}, ...heads.map((x) => h("th", { scope: "col", text: x })))),
      h("tbody", {}, ...rows),
    );
  }

  function render() {
    const active = document.activeElement?.dataset?.key;
    const names = Object.fromEntries(state.services.map((s) => [s.code, i18n.pick(s.name)]));
    counters.replaceChildren(
      table(
        t("sv.counters"),
        [t("sv.counter"), t("sv.state"), t("sv.operator"), t("sv.serves"), t("sv.actions")],
        state.counters.map((c) => {
          const stateText = t(`desk.state.${c.state}`) + (c.state === "paused" && c.pause_code ? ` · ${t(`pause.code_${c.pause_code}`)}` : "");
          const serves = (c.today_services || c.services).map((code) => names[code] || code).join(", ");
          return h(
            "tr",
            { "data-counter": String(c.number) },
            h("th", { scope: "row", text: t("desk.counter_n", { n: c.number }) + (c.label ? ` · ${c.label}` : "") }),
            h("td", {}, h("span", { class: "pill", "data-state": c.state, text: stateText })),
            h("td", { text: (c.operator ? c.operator.name || c.operator.username : "—") + (c.current ? ` · ${c.current.number}` : "") }),
            h("td", { text: (c.today_services ? `${t("sv.today")}: ` : "") + serves }),
            h("td", {}, h("div", { class: "sv-actions" }, ...counterActions(c))),
          );
        }),
      ),
    );
    waiting.replaceChildren(
      state.waiting.length
        ? table(
            `${t("sv.waiting")} (${state.waiting.length})`,
            [t("sv.number"), t("sv.service"), t("sv.waited"), t("sv.flags"), t("sv.actions")],
            state.waiting.map((w) => {
              const flags = [];
              if (w.first) flags.push(t("sv.flag_first"));
              if (w.priority) flags.push(t(`priority.${w.priority}`));
              if (w.booked) flags.push(t("desk.booked"));
              if (w.for_counter) flags.push(t("sv.flag_counter", { n: w.for_counter }));
              return h(
                "tr",
                { "data-number": w.number },
                h("th", { scope: "row", text: w.number }),
                h("td", { text: i18n.pick(w.service_name) }),
                h("td", { text: `${w.waited_minutes} ${t("unit.min")}` }),
                h("td", { text: flags.join(" · ") }),
                h("td", {}, h("div", { class: "sv-actions" }, ...ticketActions(w))),
              );
            }),
          )
        : h("p", { class: "muted", text: t("desk.nobody_waiting") }),
    );
    // A re-render keeps the keyboard where it was (or on the row's next control).
    const key = active || returnFocus;
    if (key && !panelFor) {
      const again = element.querySelector(`[data-key="${key}"]`);
      if (again) again.focus();
      returnFocus = null;
    }
  }

  let pending = null;
  subscribe(
    { center: slug },
    {
      snapshot() {},
      queue() {
        clearTimeout(pending);
        pending = setTimeout(() => { if (!panelFor) load(); }, 150);
      },
    },
  );
  await load();
  return { reload: load };
}
