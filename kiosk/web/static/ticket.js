// A ticket's own page on the applicant's phone: number, people ahead, estimated wait,
// and the counter once called. Updated by server-sent events; nothing personal.
"use strict";
(() => {
  const A = Antrean;
  const $ = (id) => document.getElementById(id);
  const token = document.body.dataset.token;
  let status = null;
  let announced = false;

  function text() {
    document.documentElement.lang = A.lang;
    $("lang").textContent = A.t("language");
    $("your-number-caption").textContent = A.t("your_number");
    $("live").textContent = A.t("live");
    $("reconnecting").textContent = A.t("reconnecting");
    $("private-note").textContent = A.t("private_note");
    $("sound").textContent = "🔔 " + A.t("enable_sound");
    if (status) render(status);
  }

  function render(s) {
    status = s;
    $("number").textContent = s.number;
    $("service").textContent = (s.service_names && s.service_names[A.lang]) || s.service_name || "";
    const state = $("state");
    state.className = "state";
    let wait = "";
    if (s.state === "waiting") {
      state.textContent = s.ahead > 0 ? A.t("ahead", { n: s.ahead }) : A.t("ahead_none");
      wait = s.wait_minutes === null || s.wait_minutes === undefined ? A.t("wait_unknown") : A.t("wait", { m: s.wait_minutes });
    } else if (s.state === "called") {
      state.textContent = A.t("go_to_counter", { n: s.counter });
      state.classList.add("called");
      alertOnce();
    } else if (s.state === "serving") {
      state.textContent = A.t("serving", { n: s.counter });
    } else if (s.state === "done") {
      state.textContent = A.t("done");
    } else if (s.state === "no_show") {
      state.textContent = A.t("no_show");
    } else if (s.state === "cancelled") {
      state.textContent = A.t("cancelled");
    } else if (s.state === "expired") {
      state.textContent = A.t("expired");
    } else {
      state.textContent = A.t("unknown");
    }
    $("wait").textContent = wait;
    $("sound").hidden = A.soundWanted() || s.state !== "waiting";
  }

  function alertOnce() {
    if (announced) return;
    announced = true;
    // Where the phone allows: a vibration, and the chime when sound was turned on here.
    if (navigator.vibrate) { try { navigator.vibrate([400, 150, 400, 150, 400]); } catch (e) { /* not allowed */ } }
    A.chime();
  }

  function refetch() {
    fetch("/api/ticket/" + encodeURIComponent(token), { cache: "no-store" })
      .then((r) => r.ok ? r.json() : null).then((d) => { if (d) render(d); }).catch(() => {});
  }

  $("lang").addEventListener("click", () => { A.setLang(A.lang === "id" ? "en" : "id"); text(); });
  $("sound").addEventListener("click", () => { A.enableSound(); if (status) render(status); });
  text();
  A.live("/api/events?t=" + encodeURIComponent(token), {
    refetch,
    connected: (ok) => { $("reconnecting").hidden = ok; },
    events: { ticket: render, status: () => {}, ping: () => {}, board: () => {} },
  });
})();
