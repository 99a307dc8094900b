// The one JSON fetch wrapper of the pages (booking, desk, ticket page, kiosk): the page's
// language goes with every call (Accept-Language, which the server's error texts follow),
// and errors come back as {code, ...details}. A person never reads the server's sentence:
// errorText() maps the code to the catalogue (errors.<code>) in the page's language.

export async function api(path, { method, body, headers = {}, lang, signal, timeoutMs = 15000 } = {}) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  signal?.addEventListener("abort", () => ctrl.abort());
  const init = {
    method: method || (body === undefined ? "GET" : "POST"),
    headers: { Accept: "application/json", ...(lang ? { "Accept-Language": lang } : {}), ...headers },
    credentials: "same-origin",
    cache: "no-store",
    signal: ctrl.signal,
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    const res = await fetch(path, init);
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.ok) return { ok: true, status: res.status, data };
    return { ok: false, status: res.status, data, error: data?.error || { code: `http_${res.status}` } };
  } catch (err) {
    return { ok: false, status: 0, data: null, error: { code: "network", cancelled: signal?.aborted === true } };
  } finally {
    clearTimeout(timer);
  }
}

// The catalogue's text for an error (filled with its details), else `fallbackKey`'s.
export function errorText(i18n, error, fallbackKey) {
  const key = `errors.${error?.code}`;
  if (error?.code && i18n.has(key)) return i18n.t(key, error);
  return i18n.t(fallbackKey);
}
