// "I have a booking": an on-screen keyboard for the booking code (only the unambiguous
// alphabet, large keys) and, where a camera exists, scanning the confirmation's QR.
import { loadJsQR } from "./qr.js";

export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function normaliseCode(text) {
  return String(text || "")
    .toUpperCase()
    .split("")
    .filter((c) => CODE_ALPHABET.includes(c))
    .join("");
}

// The confirmation QR encodes <base>/book/manage/<token>?code=<CODE>: take `code` if present,
// else the last path segment, else the raw text (the contract's rule).
export function codeFromQr(text) {
  try {
    const url = new URL(text);
    const code = url.searchParams.get("code");
    if (code) return normaliseCode(code);
    const last = url.pathname.split("/").filter(Boolean).pop();
    if (last) return normaliseCode(last);
  } catch {
    // not a URL: the raw text is the code
  }
  return normaliseCode(text);
}

// Keys write into `input`; `label(key)` gives each key its screen-reader name.
export function buildKeyboard(container, input, { keys, label, onChange, backspaceLabel }) {
  container.replaceChildren();
  const press = (value) => {
    if (value === "⌫") input.value = input.value.slice(0, -1);
    else if (input.value.length < input.maxLength) input.value += value;
    onChange?.(input.value);
  };
  for (const key of [...keys, "⌫"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = key === "⌫" ? "key key-wide" : "key";
    button.textContent = key;
    button.setAttribute("aria-label", key === "⌫" ? backspaceLabel : label(key));
    button.addEventListener("click", () => press(key));
    container.append(button);
  }
}

// Only a kiosk that has a camera offers to scan (no button that can only fail).
export async function hasCamera() {
  if (!navigator.mediaDevices?.getUserMedia || !navigator.mediaDevices.enumerateDevices) return false;
  try {
    return (await navigator.mediaDevices.enumerateDevices()).some((d) => d.kind === "videoinput");
  } catch {
    return false;
  }
}

// Scan QR codes from the camera until one decodes; returns a stop() function.
export async function startScanner(video, onText) {
  const [jsQR, stream] = await Promise.all([
    loadJsQR(),
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false }),
  ]);
  video.srcObject = stream;
  await video.play();
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let running = true;
  const tick = () => {
    if (!running) return;
    if (video.readyState >= 2 && video.videoWidth) {
      // A 640-px frame is plenty for a QR held at arm's length and keeps decoding fast.
      const scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const found = jsQR(frame.data, frame.width, frame.height);
      if (found?.data) {
        stop();
        onText(found.data);
        return;
      }
    }
    setTimeout(() => requestAnimationFrame(tick), 120);
  };
  const stop = () => {
    running = false;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  requestAnimationFrame(tick);
  return stop;
}
