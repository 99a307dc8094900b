// Inside the print frame: load the receipt PNG and print it. Under
// `chromium --kiosk --kiosk-printing` window.print() prints silently to the default printer.
const params = new URLSearchParams(location.search);
const src = params.get("src") || "";
const img = document.getElementById("receipt");

// Only our own receipt endpoint may be printed from here.
if (/^\/api\/v1\/tickets\/[A-Za-z0-9_-]+\/receipt\.png$/.test(src)) {
  img.addEventListener("load", () => {
    const heightMm = Math.ceil((72 * img.naturalHeight) / img.naturalWidth) + 2;
    // Through the CSS object model: the page's CSP allows no inline <style>.
    const sheet = document.querySelector('link[href$="print.css"]').sheet;
    sheet.insertRule(`@page { size: 80mm ${heightMm}mm; margin: 0 }`, sheet.cssRules.length);
    window.print();
    parent.postMessage({ kiosk: "printed", src }, location.origin);
  });
  img.addEventListener("error", () => parent.postMessage({ kiosk: "print-failed", src }, location.origin));
  img.src = src;
}
