// Hall announcements: a chime, then the call spoken in the center's languages in sequence
// (e.g. az, ru, en). Calls queue up: several counters calling at once are announced one
// after another, never overlapping and never dropped; a recall is simply announced again.
//
// The chime is synthesised with WebAudio (no audio file); speech is the browser's speech
// synthesis. Every announcement is logged to window.hallAnnouncements (for tests and support).

const VOICE_LANG = { az: "az-AZ", ru: "ru-RU", en: "en-GB" };
const GAP_MS = 600;

let audio = null;

function audioContext() {
  if (!audio && (window.AudioContext || window.webkitAudioContext)) {
    audio = new (window.AudioContext || window.webkitAudioContext)();
  }
  return audio;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Whether the browser lets us play sound now (autoplay rules need one click on some TVs).
export function soundBlocked() {
  const ctx = audioContext();
  return Boolean(ctx && ctx.state === "suspended");
}

export async function unlockSound() {
  const ctx = audioContext();
  if (ctx && ctx.state === "suspended") await ctx.resume();
  // Some engines only speak after a first utterance made inside a click.
  if (window.speechSynthesis) window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
}

// Two-tone "ding-dong" (E5 then C5), about 1.3 s.
export async function chime() {
  const ctx = audioContext();
  if (!ctx) return sleep(300);
  if (ctx.state === "suspended") {
    await Promise.race([ctx.resume(), sleep(200)]);
    if (ctx.state === "suspended") return sleep(300);
  }
  const start = ctx.currentTime + 0.05;
  [[659.25, 0], [523.25, 0.55]].forEach(([freq, offset]) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.5, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.75);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.8);
  });
  return sleep(1350);
}

function voiceFor(lang) {
  const voices = window.speechSynthesis ? window.speechSynthesis.getVoices() : [];
  const want = VOICE_LANG[lang] || lang;
  return voices.find((v) => v.lang === want) || voices.find((v) => v.lang.startsWith(lang)) || null;
}

// Speak one text; resolves when done. A missing voice or a stuck engine must not stall the
// queue, so every utterance also has a deadline proportional to its length.
export function say(text, lang) {
  const synth = window.speechSynthesis;
  if (!synth || !text) return sleep(1200);
  return new Promise((resolve) => {
    const utter = new SpeechSynthesisUtterance(text);
    utter.lang = VOICE_LANG[lang] || lang;
    const voice = voiceFor(lang);
    if (voice) utter.voice = voice;
    utter.rate = 0.9;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    utter.onend = finish;
    utter.onerror = finish;
    setTimeout(() => {
      if (!done) synth.cancel();
      finish();
    }, 2500 + text.length * 110);
    synth.speak(utter);
  });
}

export class Announcer {
  constructor({ onStart = () => {}, onEnd = () => {} } = {}) {
    this.queue = [];
    this.busy = false;
    this.onStart = onStart;
    this.onEnd = onEnd;
    window.hallAnnouncements = window.hallAnnouncements || [];
  }

  get pending() {
    return this.queue.length + (this.busy ? 1 : 0);
  }

  push(call) {
    this.queue.push(call);
    this.#next();
  }

  async #next() {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const call = this.queue.shift();
    const entry = { number: call.number, counter: call.counter, recall: call.recall, spoken: [] };
    entry.started = performance.now();
    window.hallAnnouncements.push(entry);
    try {
      this.onStart(call);
      await chime();
      for (const lang of call.languages || Object.keys(call.announcement || {})) {
        const text = call.announcement?.[lang];
        if (!text) continue;
        entry.spoken.push({ lang, text });
        await say(text, lang);
      }
      await sleep(GAP_MS);
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
