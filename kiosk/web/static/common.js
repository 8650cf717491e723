// Shared by the board and the ticket page: strings (id first, en), the live stream,
// and the sound queue. Every file is served by the office server: no CDN, no internet.
"use strict";

const Antrean = (() => {
  const STRINGS = {
    id: {
      called_number: "NOMOR ANTREAN",
      previous: "PANGGILAN SEBELUMNYA",
      counter: "LOKET {n}",
      counter_short: "Loket {n}",
      waiting: "{letter} · {name}: {count} menunggu",
      estimate: "perkiraan tunggu ± {m} menit",
      reconnecting: "menghubungkan ulang…",
      sound_off: "Suara mati",
      enable_sound: "Aktifkan suara",
      enable_sound_hint: "Ketuk sekali agar panggilan terdengar di layar ini.",
      ticket_title: "Tiket Antrean",
      your_number: "Nomor antrean Anda",
      ahead: "{n} orang di depan Anda",
      ahead_none: "Anda berikutnya",
      wait: "Perkiraan tunggu ± {m} menit",
      wait_unknown: "Perkiraan tunggu belum tersedia",
      go_to_counter: "Silakan menuju loket {n}",
      serving: "Sedang dilayani di loket {n}",
      done: "Pelayanan selesai. Terima kasih.",
      no_show: "Nomor Anda sudah dipanggil dan dilewati. Silakan ke petugas.",
      cancelled: "Tiket ini dibatalkan. Silakan ke petugas.",
      unknown: "Status tiket belum tersedia.",
      expired: "Tiket ini sudah kedaluwarsa (hanya berlaku pada hari layanannya).",
      live: "Diperbarui otomatis",
      language: "English",
      private_note: "Halaman ini tidak memuat data pribadi.",
    },
    en: {
      called_number: "QUEUE NUMBER",
      previous: "PREVIOUS CALLS",
      counter: "COUNTER {n}",
      counter_short: "Counter {n}",
      waiting: "{letter} · {name}: {count} waiting",
      estimate: "estimated wait ± {m} min",
      reconnecting: "reconnecting…",
      sound_off: "Sound off",
      enable_sound: "Turn sound on",
      enable_sound_hint: "Tap once so calls can be heard on this screen.",
      ticket_title: "Queue ticket",
      your_number: "Your queue number",
      ahead: "{n} people ahead of you",
      ahead_none: "You are next",
      wait: "Estimated wait ± {m} min",
      wait_unknown: "No wait estimate yet",
      go_to_counter: "Please go to counter {n}",
      serving: "Being served at counter {n}",
      done: "Service finished. Thank you.",
      no_show: "Your number was called and skipped. Please see an officer.",
      cancelled: "This ticket was cancelled. Please see an officer.",
      unknown: "Ticket status not available yet.",
      expired: "This ticket has expired (it is valid on its service day only).",
      live: "Updates automatically",
      language: "Bahasa Indonesia",
      private_note: "This page holds no personal data.",
    },
  };

  let lang = localStorage.getItem("antrean.lang") === "en" ? "en" : "id";

  function t(key, values) {
    let text = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.id[key] || key;
    for (const [k, v] of Object.entries(values || {})) text = text.replaceAll("{" + k + "}", String(v));
    return text;
  }

  function setLang(value) {
    lang = value === "en" ? "en" : "id";
    localStorage.setItem("antrean.lang", lang);
    document.documentElement.lang = lang;
  }

  // --- the live stream: EventSource with resume, re-fetch on (re)connect, watchdog ---------
  function live(url, handlers, opts) {
    const options = Object.assign({ heartbeat: 15000 }, opts || {});
    let source = null;
    let lastId = null;
    let lastSeen = Date.now();
    let retryTimer = null;

    function open() {
      if (source) source.close();
      const full = lastId === null ? url : url + (url.includes("?") ? "&" : "?") + "last=" + lastId;
      source = new EventSource(full);
      source.onopen = () => { lastSeen = Date.now(); handlers.connected && handlers.connected(true); handlers.refetch && handlers.refetch(); };
      source.onerror = () => {
        handlers.connected && handlers.connected(false);
        // A closed source (server gone with an error page, or a proxy) is not retried by the browser.
        if (source.readyState === EventSource.CLOSED) schedule();
      };
      for (const kind of Object.keys(handlers.events || {})) {
        source.addEventListener(kind, (ev) => {
          lastSeen = Date.now();
          if (ev.lastEventId) lastId = ev.lastEventId;
          let data = null;
          try { data = JSON.parse(ev.data); } catch (e) { return; }
          handlers.events[kind](data, ev);
        });
      }
    }

    function schedule() {
      if (retryTimer) return;
      retryTimer = setTimeout(() => { retryTimer = null; open(); }, 2000);
    }

    // A network that silently drops the stream sends no error: no heartbeat for too long
    // means the stream is dead, so open a new one (which resumes by the last event id).
    setInterval(() => {
      if (Date.now() - lastSeen > options.heartbeat * 2.5) { lastSeen = Date.now(); handlers.connected && handlers.connected(false); open(); }
    }, 1000);
    open();
    return { reopen: open };
  }

  // --- sound: one queue, one clip at a time, never overlapping -------------------------------
  const SOUND_KEY = "antrean.sound";
  const soundLog = [];  // what was played, in order (the page's own record, also read by tests)
  const queue = [];
  let playing = false;
  const cache = new Map();

  function soundWanted() { return localStorage.getItem(SOUND_KEY) === "on"; }

  function clip(name) {
    if (!cache.has(name)) {
      const audio = new Audio("/sounds/" + name + ".wav");
      audio.preload = "auto";
      cache.set(name, audio);
    }
    return cache.get(name);
  }

  function playOne(name) {
    return new Promise((resolve) => {
      const audio = clip(name);
      let done = false;
      const finish = (ok) => { if (done) return; done = true; audio.onended = null; audio.onerror = null; soundLog.push({ name, end: performance.now(), ok }); resolve(ok); };
      audio.onended = () => finish(true);
      audio.onerror = () => finish(false);
      audio.currentTime = 0;
      soundLog.push({ name, start: performance.now() });
      const p = audio.play();
      if (p && p.catch) p.catch((err) => { if (err && err.name === "NotAllowedError") blocked(); finish(false); });
      // A clip that never ends (a broken device) must not hold the queue forever.
      setTimeout(() => finish(false), 8000);
    });
  }

  let onBlocked = () => {};
  function blocked() { onBlocked(); }

  async function drain() {
    if (playing) return;
    playing = true;
    try {
      while (queue.length) {
        const names = queue.shift();
        for (const name of names) {
          if (!soundWanted()) { queue.length = 0; break; }
          await playOne(name);
          await new Promise((r) => setTimeout(r, name === "chime" ? 300 : 60));
        }
      }
    } finally {
      playing = false;
    }
  }

  function announce(fragments) {
    if (!soundWanted()) return false;
    queue.push(["chime", ...fragments]);
    drain();
    return true;
  }

  function chime() {
    if (!soundWanted()) return false;
    queue.push(["chime"]);
    drain();
    return true;
  }

  function enableSound() {
    localStorage.setItem(SOUND_KEY, "on");
    // Played inside the tap, so the browser counts the page as allowed to play sound.
    queue.push(["chime"]);
    drain();
  }

  return { t, setLang, get lang() { return lang; }, live, announce, chime, enableSound, soundWanted, soundLog,
           set onBlocked(fn) { onBlocked = fn; } };
})();
