// The ticket screen's QR: cut out of the receipt PNG (the same image the printer gets), so
// the screen and the paper always agree and no QR encoder is needed in the browser. jsQR
// finds the symbol; if it cannot, the whole receipt is shown instead.
let jsQRReady = null;

export function loadJsQR() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  if (!jsQRReady) {
    jsQRReady = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/vendor/jsQR.js";
      script.onload = () => resolve(window.jsQR);
      script.onerror = () => {
        jsQRReady = null;
        reject(new Error("jsQR did not load"));
      };
      document.head.append(script);
    });
  }
  return jsQRReady;
}

async function loadImage(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`receipt ${res.status}`);
  return createImageBitmap(await res.blob());
}

// Draw the QR of the receipt at `url` onto `canvas`; resolves to the decoded text (or "").
export async function drawReceiptQr(url, canvas) {
  const [bitmap, jsQR] = await Promise.all([loadImage(url), loadJsQR()]);
  const work = document.createElement("canvas");
  work.width = bitmap.width;
  work.height = bitmap.height;
  const ctx = work.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0);
  const pixels = ctx.getImageData(0, 0, work.width, work.height);
  const found = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
  const out = canvas.getContext("2d");
  if (!found) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    out.drawImage(bitmap, 0, 0);
    return "";
  }
  const loc = found.location;
  const xs = [loc.topLeftCorner.x, loc.topRightCorner.x, loc.bottomLeftCorner.x, loc.bottomRightCorner.x];
  const ys = [loc.topLeftCorner.y, loc.topRightCorner.y, loc.bottomLeftCorner.y, loc.bottomRightCorner.y];
  const side = Math.max(...xs) - Math.min(...xs);
  const pad = Math.round(side * 0.1); // keep a quiet zone so phones scan it off the screen
  const x = Math.max(0, Math.round(Math.min(...xs)) - pad);
  const y = Math.max(0, Math.round(Math.min(...ys)) - pad);
  const w = Math.min(work.width - x, Math.round(side) + 2 * pad);
  const h = Math.min(work.height - y, Math.round(Math.max(...ys) - Math.min(...ys)) + 2 * pad);
  canvas.width = w;
  canvas.height = h;
  out.imageSmoothingEnabled = false;
  out.drawImage(work, x, y, w, h, 0, 0, w, h);
  return found.data;
}
