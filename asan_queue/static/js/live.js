// A live subscription to one Socket.IO room (DESIGN.md section 4), shared by the hall display,
// the counter screen, the operator desk and the citizen's ticket page.
//
//   const live = subscribe({ center: "baku-1" }, {
//     snapshot(state) {...}, ticket_called(ev) {...}, queue(ev) {...}, ticket(ev) {...},
//     status(connected) {...},
//   });
//
// The server answers `subscribe` with a `snapshot`. After a reconnect, or when an event's
// per-center `seq` skips a number (a dropped message), we subscribe again and take a fresh
// snapshot, so the page is correct again without a reload. A subscribe answered with a
// transient error (the server could not reach Redis) or not answered at all is retried after
// 250 ms, 500 ms, then every second, until the snapshot comes.
import { io } from "/vendor/socket.io.esm.min.js";

// Milliseconds between attempts of a failed subscribe (the last one repeats).
export const RETRY_DELAYS = [250, 500, 1000];
const ANSWER_TIMEOUT = 5000;

export function subscribe(room, handlers = {}, options = {}) {
  const socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000, ...options });
  let lastSeq = null;

  let attempt = 0;
  let retryTimer = null;
  const TRANSIENT = new Set(["server_error", "too_many_subscribes"]);
  const retryDelay = (n) => RETRY_DELAYS[Math.min(n, RETRY_DELAYS.length - 1)];
  const resubscribe = () => {
    clearTimeout(retryTimer);
    retryTimer = null;
    socket.timeout(ANSWER_TIMEOUT).emit("subscribe", room, (err, ack) => {
      if (!err && ack && ack.ok) {
        attempt = 0;
        return;
      }
      if (!err && ack && ack.error && !TRANSIENT.has(ack.error.code)) {
        handlers.refused?.(ack.error); // a room that does not exist or is not ours
        return;
      }
      if (!socket.connected) return; // the next connect subscribes again
      retryTimer = setTimeout(resubscribe, retryDelay(attempt));
      attempt += 1;
    });
  };
  const track = (ev) => {
    if (ev && typeof ev.seq === "number") {
      if (lastSeq !== null && ev.seq > lastSeq + 1) {
        lastSeq = null;
        resubscribe();
        return false;
      }
      if (lastSeq !== null && ev.seq <= lastSeq) return false; // duplicate or stale
      lastSeq = ev.seq;
    }
    return true;
  };

  socket.on("connect", () => {
    handlers.status?.(true);
    resubscribe();
  });
  socket.on("disconnect", () => handlers.status?.(false));
  socket.on("connect_error", () => handlers.status?.(false));
  socket.on("snapshot", (state) => {
    lastSeq = typeof state.seq === "number" ? state.seq : null;
    handlers.snapshot?.(state);
  });
  for (const name of ["ticket_called", "queue", "ticket", "counter", "dashboard"]) {
    socket.on(name, (ev) => {
      if (track(ev)) handlers[name]?.(ev);
    });
  }
  socket.on("error", (err) => handlers.error?.(err));
  return { socket, resubscribe, close: () => socket.close() };
}
