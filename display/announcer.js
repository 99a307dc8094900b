// Hall announcements: a chime, then the call spoken in each of the center's languages in turn
// (az, ru, en). The server renders every announcement to audio offline (espeak-ng; the
// `chime` and `audio` links of a `ticket_called` event), so any screen speaks without a
// browser voice. Calls queue up: a burst is announced one call after another, never
// overlapping and never dropped; a recall is simply announced again.
//
// Web Speech is only a fallback for a clip that could not be played, and only where the
// browser has a local voice for that language. window.hallAnnouncements is the support log:
// a language counts as spoken only after its audio's `ended` (or the local voice's `end`).

const VOICE_LANG = { az: "az-AZ", ru: "ru-RU", en: "en-GB" };
const GAP_MS = 500; // between two calls
const LOAD_MS = 10000; // a clip that has not even started loading by then is given up
const STALL_MS = 8000; // a clip still playing this long after its duration is stuck

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class ClipFailed extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

function preload(url) {
  if (!url) return null;
  const audio = new Audio();
  audio.preload = "auto";
  audio.src = url;
  return audio;
}

// Play one clip to its end. Rejects with ClipFailed("blocked" | "error" | "stalled").
function playToEnd(audio) {
  return new Promise((resolve, reject) => {
    let timer = null;
    const finish = (fn, value) => {
      clearTimeout(timer);
      audio.removeEventListener("ended", onEnded);
      audio.removeEventListener("error", onError);
      audio.removeEventListener("loadedmetadata", onMeta);
      fn(value);
    };
    const onEnded = () => finish(resolve, "ended");
    const onError = () => finish(reject, new ClipFailed("error"));
    const stalled = () => {
      audio.pause();
      finish(reject, new ClipFailed("stalled"));
    };
    const onMeta = () => {
      clearTimeout(timer);
      const seconds = Number.isFinite(audio.duration) ? audio.duration : 30;
      timer = setTimeout(stalled, (seconds * 1000) / (audio.playbackRate || 1) + STALL_MS);
    };
    audio.addEventListener("ended", onEnded);
    audio.addEventListener("error", onError);
    audio.addEventListener("loadedmetadata", onMeta);
    if (audio.error) return onError();
    timer = setTimeout(stalled, LOAD_MS);
    if (audio.readyState >= 1) onMeta();
    audio.currentTime = 0;
    audio.play().catch((err) => finish(reject, new ClipFailed(err?.name === "NotAllowedError" ? "blocked" : "error")));
  });
}

function localVoice(lang) {
  const voices = window.speechSynthesis ? window.speechSynthesis.getVoices() : [];
  const want = (VOICE_LANG[lang] || lang).toLowerCase();
  return (
    voices.find((v) => v.localService && v.lang.replace("_", "-").toLowerCase() === want) ||
    voices.find((v) => v.localService && v.lang.toLowerCase().startsWith(lang)) ||
    null
  );
}

// The browser's own voice, only when it has a local one for `lang`; resolves on `end`.
function speakLocally(text, lang) {
  const voice = localVoice(lang);
  if (!voice || !text) return Promise.reject(new ClipFailed("no_voice"));
  return new Promise((resolve, reject) => {
    const utter = new SpeechSynthesisUtterance(text);
    utter.voice = voice;
    utter.lang = voice.lang;
    utter.rate = 0.9;
    const timer = setTimeout(() => {
      window.speechSynthesis.cancel();
      reject(new ClipFailed("stalled"));
    }, 4000 + text.length * 150);
    utter.onend = () => {
      clearTimeout(timer);
      resolve("ended");
    };
    utter.onerror = () => {
      clearTimeout(timer);
      reject(new ClipFailed("error"));
    };
    window.speechSynthesis.speak(utter);
  });
}

export class Announcer {
  // onStart(call) when a call's announcement begins, onEnd(call) when it is over;
  // onBlocked() when the browser refuses to play sound until someone touches the screen.
  constructor({ onStart = () => {}, onEnd = () => {}, onBlocked = () => {} } = {}) {
    this.queue = [];
    this.busy = false;
    this.onStart = onStart;
    this.onEnd = onEnd;
    this.onBlocked = onBlocked;
    window.hallAnnouncements = window.hallAnnouncements || [];
  }

  get pending() {
    return this.queue.length + (this.busy ? 1 : 0);
  }

  push(call) {
    const langs = call.languages || Object.keys(call.audio || call.announcement || {});
    // Start loading at once: while one call is spoken, the next ones' files arrive.
    const clips = { chime: preload(call.chime) };
    for (const lang of langs) clips[lang] = preload(call.audio?.[lang]);
    this.queue.push({ call, langs, clips, queued: performance.now() });
    this.#next();
  }

  async #play(entry, clip, lang, text) {
    const started = performance.now();
    try {
      if (!clip) throw new ClipFailed("no_audio");
      await playToEnd(clip);
      entry.spoken.push({ lang, text, via: "audio", src: clip.src, started, ended: performance.now() });
    } catch (err) {
      const reason = err instanceof ClipFailed ? err.reason : "error";
      if (reason === "blocked") {
        this.onBlocked();
        entry.failed.push({ lang, reason });
        return false;
      }
      try {
        await speakLocally(text, lang);
        entry.spoken.push({ lang, text, via: "browser", started, ended: performance.now() });
      } catch (fallback) {
        entry.failed.push({ lang, reason, fallback: fallback?.reason || "error" });
      }
    }
    return true;
  }

  async #next() {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const { call, langs, clips, queued } = this.queue.shift();
    const entry = { number: call.number, counter: call.counter, recall: call.recall, spoken: [], failed: [], queued };
    entry.started = performance.now();
    window.hallAnnouncements.push(entry);
    try {
      this.onStart(call);
      let playing = true;
      if (clips.chime) {
        try {
          await playToEnd(clips.chime);
          entry.chime = "ended";
        } catch (err) {
          entry.chime = err.reason || "error";
          if (err.reason === "blocked") {
            this.onBlocked();
            playing = false;
          }
        }
      }
      for (const lang of langs) {
        if (!playing) {
          entry.failed.push({ lang, reason: "blocked" });
          continue;
        }
        playing = await this.#play(entry, clips[lang], lang, call.announcement?.[lang] || "");
      }
      await wait(GAP_MS);
    } catch (err) {
      console.error("announcement failed", err);
    } finally {
      entry.ended = performance.now();
      this.busy = false;
      this.onEnd(call);
      this.#next();
    }
  }
}
