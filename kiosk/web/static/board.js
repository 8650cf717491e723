// The waiting-room board in any TV browser: the same content as the Qt display.
"use strict";
(() => {
  const A = Antrean;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  if (params.get("lang")) A.setLang(params.get("lang"));
  let board = null;
  let highlightTimer = null;

  function text() {
    $("call-caption").textContent = A.t("called_number");
    $("recent-caption").textContent = A.t("previous");
    $("reconnecting").textContent = A.t("reconnecting");
    $("sound-badge").textContent = "🔇 " + A.t("sound_off") + " — " + A.t("enable_sound");
    $("enable-sound").textContent = A.t("enable_sound");
    $("enable-sound-hint").textContent = A.t("enable_sound_hint");
  }

  function el(tag, cls, content) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined) e.textContent = content;
    return e;
  }

  function render(data) {
    board = data;
    if (data.sound === false) { $("sound-gate").hidden = true; $("sound-badge").hidden = true; }
    const newest = data.recent[0];
    $("called-number").textContent = newest ? newest.number : "—";
    $("called-counter").textContent = newest ? A.t("counter", { n: newest.counter }) : "";
    const list = $("recent");
    list.replaceChildren(...data.recent.slice(1).map((c) => {
      const li = el("li");
      li.append(el("span", "number", c.number), el("span", "where", A.t("counter_short", { n: c.counter })));
      return li;
    }));
    $("counter-cards").replaceChildren(...data.counters.map((c) => {
      const card = el("div", "card");
      card.dataset.counter = c.counter;
      card.append(el("div", "title", A.t("counter", { n: c.counter })), el("div", "current", c.number || "—"),
                  el("div", "serves", c.services.join(", ")));
      return card;
    }));
    $("waiting").replaceChildren(...data.waiting.map((w) => {
      const li = el("li");
      li.dataset.service = w.service;
      li.append(el("div", "count", A.t("waiting", { name: (w.names && w.names[A.lang]) || w.name, letter: w.service, count: w.count })));
      if (w.count > 0 && w.wait_minutes) {
        li.append(el("div", "estimate", A.t("estimate", { m: w.wait_minutes })));
      }
      return li;
    }));
    if (data.logo && $("logo").hidden) { $("logo").src = "/logo"; $("logo").hidden = false; }
    $("ticker-text").textContent = data.running_text || "";
    $("ticker").hidden = !data.running_text;
  }

  function highlight(call) {
    $("called-number").textContent = call.number;
    $("called-counter").textContent = A.t("counter", { n: call.counter });
    const panel = $("call-panel");
    panel.classList.remove("fresh");
    void panel.offsetWidth;  // restart the animation
    panel.classList.add("fresh");
    clearTimeout(highlightTimer);
    const seconds = (board && board.highlight_seconds) || 8;  // display.highlight_seconds
    highlightTimer = setTimeout(() => panel.classList.remove("fresh"), seconds * 1000);
  }

  function onCall(call) {
    highlight(call);
    if (!call.speak || (board && board.sound === false)) return;  // announcer.enabled = false: silent board
    let words = [];
    for (let i = 0; i < ((board && board.repeat) || 1); i++) words = words.concat(call.fragments);
    A.announce(words);  // announcer.repeat, as the Qt display says it
  }

  function connected(ok) { $("reconnecting").hidden = ok; }

  function refetch() {
    fetch("/api/board", { cache: "no-store" }).then((r) => r.ok ? r.json() : null).then((d) => { if (d) { render(d); connected(d.connected); } })
      .catch(() => {});
  }

  function soundState() {
    const on = A.soundWanted() || (board && board.sound === false);
    $("sound-gate").hidden = on;
    $("sound-badge").hidden = on;
  }
  $("enable-sound").addEventListener("click", () => { A.enableSound(); soundState(); });
  $("sound-badge").addEventListener("click", () => { A.enableSound(); soundState(); });
  // The gate covers the board only until the first tap or a few seconds: the board must
  // stay readable on a TV nobody touches; the badge stays while the sound is off.
  setTimeout(() => { $("sound-gate").hidden = true; }, 10000);
  A.onBlocked = () => { localStorage.removeItem("antrean.sound"); soundState(); };

  function tick() {
    const now = new Date();
    const locale = A.lang === "en" ? "en-GB" : "id-ID";
    $("date").textContent = now.toLocaleDateString(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
    $("time").textContent = now.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  }

  text();
  soundState();
  tick();
  setInterval(tick, 1000);
  A.live("/api/events", {
    connected, refetch,
    events: {
      board: (d) => render(d),
      call: onCall,
      recall: onCall,
      transfer: () => {},
      status: (d) => connected(d.connected),
      ping: () => {},
    },
  }, { heartbeat: Number(params.get("heartbeat") || 15) * 1000 });
  window.antreanBoard = { get board() { return board; }, sound: A.soundLog };
})();
