// The kiosk's only way to the server: the public JSON API (/api/v1), with automatic retries
// for network and server failures. A ticket request keeps ONE Idempotency-Key across all its
// retries, so a citizen who pressed once never gets two tickets.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.code = body?.error?.code || "";
    this.error = body?.error || {};
  }
}

// Worth retrying: no answer at all, a timeout, or a server-side failure (5xx, 429).
export function isTransient(err) {
  if (err?.name === "AbortError" && err.cancelled) return false;
  if (!(err instanceof ApiError)) return true;
  return err.status >= 500 || err.status === 429 || err.status === 408;
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Plain-http kiosks on a LAN are no "secure context": build a v4 UUID by hand.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// The server answers errors in the kiosk's current language (Accept-Language).
let language = "az";
export function setLanguage(lang) {
  language = lang;
}

// The kiosk's own key (ASAN_KIOSK_KEYS on the server): its tickets and check-ins count
// against this kiosk's limit, not the whole hall's address. Set once with ?key= on the start
// URL; kept in the kiosk's storage and taken out of the address bar.
const KEY_STORE = "asan-kiosk-key";
function kioskKey() {
  try {
    const url = new URL(location.href);
    const given = url.searchParams.get("key");
    if (given) {
      localStorage.setItem(KEY_STORE, given);
      url.searchParams.delete("key");
      history.replaceState(null, "", url);
    }
    return localStorage.getItem(KEY_STORE) || "";
  } catch {
    return "";
  }
}
const KIOSK_KEY = typeof location === "undefined" ? "" : kioskKey();

export async function request(method, path, { body, headers = {}, timeoutMs = 8000 } = {}) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  const sent = { "Accept-Language": language, ...headers };
  if (KIOSK_KEY) sent["X-Kiosk-Key"] = KIOSK_KEY;
  try {
    const res = await fetch(path, {
      method,
      headers: body ? { "Content-Type": "application/json", ...sent } : sent,
      body: body ? JSON.stringify(body) : undefined,
      signal: ctrl.signal,
      cache: "no-store",
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  } finally {
    clearTimeout(timer);
  }
}

const DELAYS_MS = [1000, 2000, 3000, 5000];

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      const err = new DOMException("cancelled", "AbortError");
      err.cancelled = true;
      reject(err);
    });
  });
}

// Run `attempt` until it succeeds or fails for good; `onRetry(err, n)` after each transient
// failure (the kiosk shows the offline message), `signal` stops the retrying.
export async function withRetry(attempt, { onRetry, signal } = {}) {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err) || signal?.aborted) throw err;
      onRetry?.(err, n);
      await pause(DELAYS_MS[Math.min(n, DELAYS_MS.length - 1)], signal);
    }
  }
}

export const centerDetail = (slug) => request("GET", `/api/v1/centers/${encodeURIComponent(slug)}`);

export function issueTicket(slug, payload, key, opts) {
  const path = `/api/v1/centers/${encodeURIComponent(slug)}/tickets`;
  return withRetry(() => request("POST", path, { body: payload, headers: { "Idempotency-Key": key } }), opts);
}

export function checkIn(slug, code, opts) {
  const path = `/api/v1/centers/${encodeURIComponent(slug)}/check-in`;
  return withRetry(() => request("POST", path, { body: { code } }), opts);
}

export const ticketStatus = (token) => request("GET", `/api/v1/tickets/${encodeURIComponent(token)}`);
