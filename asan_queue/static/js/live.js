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
// snapshot, so the page is correct again without a reload.
import { io } from "/vendor/socket.io.esm.min.js";

export function subscribe(room, handlers = {}, options = {}) {
  const socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000, ...options });
  let lastSeq = null;

  const resubscribe = () => socket.emit("subscribe", room);
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
