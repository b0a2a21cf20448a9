// align review page: virtualised bead list, keyboard actions, server round-trips.
// Written for align; no libraries. Only rows in (or near) the viewport are in the DOM.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const viewport = $("viewport"), spacer = $("spacer"), rowsEl = $("rows");
  const statusEl = $("status");
  const srcLang = document.body.dataset.srcLang, tgtLang = document.body.dataset.tgtLang;
  const OVERSCAN = 400; // px rendered above and below the visible part

  let beads = [];          // every bead's view, in document order
  let order = [];          // positions in `beads` passing the filters
  let offsets = new Float64Array(1);
  const heights = new Map(); // bead id -> measured height (px)
  let focusId = null;
  let counts = {}, canUndo = false, canRedo = false, pending = false;
  let busy = false;
  let first = 0, last = -1; // rendered range in `order`
  let layoutWidth = 0;

  const filters = { flagged: false, glossary: false, open: false, search: "" };

  // -- keyboard map: key -> [action, description]; shown in the help overlay ------------------
  const KEYS = [
    ["j / ↓", "next bead", "next"], ["k / ↑", "previous bead", "prev"],
    ["n / N", "next / previous flagged bead", "nextFlag"],
    ["a", "accept (again: clear)", "accept"], ["r", "reject (again: clear); rejected beads are not exported", "reject"],
    ["e", "edit the target text", "edit-tgt"], ["E", "edit the source text", "edit-src"],
    ["g", "apply the glossary fix to the target", "fix"],
    ["m", "merge with the next bead", "merge-next"], ["M", "merge with the previous bead", "merge-prev"],
    ["s", "split a merged bead", "split"],
    ["[", "move the first source line to the previous bead", "src-prev"],
    ["]", "move the last source line to the next bead", "src-next"],
    ["{", "move the first target line to the previous bead", "tgt-prev"],
    ["}", "move the last target line to the next bead", "tgt-next"],
    ["u", "make the last target line unmatched", "detach-tgt"],
    ["U", "make the last source line unmatched", "detach-src"],
    ["z / Ctrl+Z", "undo", "undo"], ["y / Ctrl+Y", "redo", "redo"],
    ["f", "show flagged beads only", "filter-flagged"], ["p", "show glossary problems only", "filter-glossary"],
    ["o", "show beads not yet reviewed only", "filter-open"],
    ["/", "search the text", "search"], ["x", "export", "export"], ["?", "this help", "help"],
    ["Esc", "close a dialog, leave the search box", null],
  ];
  const KEYMAP = {
    j: "next", ArrowDown: "next", k: "prev", ArrowUp: "prev", n: "nextFlag", N: "prevFlag",
    a: "accept", r: "reject", e: "edit-tgt", E: "edit-src", g: "fix", m: "merge-next",
    M: "merge-prev", s: "split", "[": "src-prev", "]": "src-next", "{": "tgt-prev",
    "}": "tgt-next", u: "detach-tgt", U: "detach-src", z: "undo", y: "redo", Z: "redo",
    f: "filter-flagged", p: "filter-glossary", o: "filter-open", "/": "search", x: "export",
    "?": "help", PageDown: "pageDown", PageUp: "pageUp", Home: "home", End: "end",
  };

  // -- server ---------------------------------------------------------------------------
  async function post(url, body) {
    let res;
    try {
      res = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
    } catch (err) {
      throw new Error("align review is not answering (stopped?); this edit was not saved. " +
        "Start it again: every saved edit is in the journal.");
    }
    const data = await res.json().catch(() => ({ error: "bad reply from the server" }));
    if (!res.ok) throw new Error(data.error || res.statusText);
    return data;
  }

  function say(text, error) {
    statusEl.textContent = text;
    statusEl.classList.toggle("error", !!error);
  }

  async function act(op, args) {
    if (busy) { say("one moment: the previous action is still being saved", false); return; }
    busy = true;
    const t0 = performance.now();
    try {
      const reply = await post("/api/act", { op, args: args || {} });
      applyReply(reply, op);
      window.__reviewLastEditMs = performance.now() - t0; // read by bench/review_load.py
      window.__reviewEdits = (window.__reviewEdits || 0) + 1;
      say(describe(op, reply) + " — saved", false);
    } catch (err) {
      say(err.message, true);
    } finally {
      busy = false;
    }
  }

  function describe(op, reply) {
    const names = { merge: "merged", split: "split", move: "line moved", detach: "line made unmatched",
      edit: "text edited", status: "review status set", fix: "glossary fix applied", undo: "undone", redo: "redone" };
    return names[op] || op;
  }

  // The server leaves empty fields out; fill them once here.
  function norm(v) {
    v.status = v.status || ""; v.state = v.state || ""; v.reasons = v.reasons || [];
    v.gs = v.gs || []; v.gt = v.gt || []; v.fix = !!v.fix;
    return v;
  }

  function applyReply(reply, op) {
    reply.insert.forEach(norm);
    const wasFocusPos = orderPos(focusId);
    beads.splice(reply.at, reply.remove, ...reply.insert);
    counts = reply.counts; canUndo = reply.undo; canRedo = reply.redo; pending = reply.pending;
    for (const v of reply.insert) heights.delete(v.id);
    rebuildOrder();
    if (op === "status" && reply.insert.length === 1 && reply.insert[0].status) {
      // accepted or rejected: move on to the next bead in view
      const pos = orderPos(reply.insert[0].id);
      const nextPos = pos >= 0 ? Math.min(pos + 1, order.length - 1) : Math.min(wasFocusPos, order.length - 1);
      focusId = order.length ? beads[order[Math.max(nextPos, 0)]].id : null;
    } else if (reply.insert.length && !reply.insert.some((v) => v.id === focusId)) {
      focusId = reply.insert[0].id;
    }
    if (orderPos(focusId) < 0 && order.length) {
      focusId = beads[order[Math.max(0, Math.min(wasFocusPos, order.length - 1))]].id;
    }
    renderCounts();
    scrollToFocus(); // draws once
  }

  // -- filters --------------------------------------------------------------------------
  function matches(v) {
    if (filters.flagged && !v.reasons.length) return false;
    if (filters.glossary && !v.reasons.some((r) => r.code === "glossary")) return false;
    if (filters.open && v.status) return false;
    if (filters.search) {
      const q = filters.search;
      if (!v.src.some((t) => t.toLowerCase().includes(q)) && !v.tgt.some((t) => t.toLowerCase().includes(q))) return false;
    }
    return true;
  }

  function rebuildOrder() {
    order = [];
    for (let i = 0; i < beads.length; i++) if (matches(beads[i])) order.push(i);
    recomputeOffsets();
  }

  function orderPos(id) {
    if (id === null) return -1;
    for (let p = 0; p < order.length; p++) if (beads[order[p]].id === id) return p;
    return -1;
  }

  // -- virtualised rendering ---------------------------------------------------------------
  // Height guess for rows not drawn yet (text length over column width); measured rows replace it.
  let colChars = 80, wide = true;
  function lineCount(texts) {
    let n = 0;
    for (const t of texts) n += Math.max(1, Math.ceil(t.length / colChars));
    return n || 1;
  }
  function estimate(v) {
    if (v._w === layoutWidth) return v._est;
    const s = lineCount(v.src), t = lineCount(v.tgt);
    const text = wide ? Math.max(s, t, 3) : s + t + 1;
    v._w = layoutWidth;
    v._est = 20 + text * 22 + v.reasons.length * 21;
    return v._est;
  }

  function recomputeOffsets() {
    const w = layoutWidth || viewport.clientWidth || 1000;
    wide = w >= 760;
    colChars = Math.max(20, (wide ? (w - 170) / 2 : w - 30) / 7.6);
    offsets = new Float64Array(order.length + 1);
    for (let p = 0; p < order.length; p++) {
      const v = beads[order[p]];
      const h = heights.get(v.id);
      offsets[p + 1] = offsets[p] + (h === undefined ? estimate(v) : h);
    }
    spacer.style.height = offsets[order.length] + "px";
  }

  function findPos(y) { // first p with offsets[p+1] > y
    let lo = 0, hi = order.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid + 1] > y) hi = mid; else lo = mid + 1;
    }
    return lo;
  }

  const esc = (s) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  function marked(text, spans, kind) {
    if (!spans.length) return esc(text);
    spans = spans.slice().sort((a, b) => a[0] - b[0]);
    let out = "", pos = 0;
    for (const [start, end, status] of spans) {
      if (start < pos || end > text.length || start >= end) continue;
      out += esc(text.slice(pos, start));
      let cls = "term", title = "glossary term";
      if (kind === "tgt") {
        cls = status === "ok" ? "ok" : "bad";
        title = status === "ok" ? "glossary: preferred rendering" : "glossary problem: " + status;
      }
      out += `<mark class="${cls}" title="${esc(title)}">${esc(text.slice(start, end))}</mark>`;
      pos = end;
    }
    return out + esc(text.slice(pos));
  }

  function sideHtml(v, side) {
    const texts = v[side], spans = side === "src" ? v.gs : v.gt;
    const lang = side === "src" ? srcLang : tgtLang;
    const label = `<span class="side-label">${esc(lang)}</span>`;
    if (!texts.length) return `<div class="side ${side}">${label}<p class="line none">— no ${side === "src" ? "source" : "target"} line —</p></div>`;
    const lines = texts.map((t, k) => `<p class="line">${marked(t.trim(), spans.filter((s) => s[0] === k).map((s) => s.slice(1)), side)}</p>`);
    return `<div class="side ${side}" lang="${esc(lang)}">${label}${lines.join("")}</div>`;
  }

  function rowHtml(p) {
    const v = beads[order[p]];
    const number = order[p] + 1;
    const flagged = v.reasons.length > 0;
    const cls = ["row"];
    if (flagged) cls.push("flagged");
    if (v.state) cls.push("st-" + v.state);
    if (v.id === focusId) cls.push("focused");
    const score = v.score === null ? `<span class="score" title="no aligner score (none in the input, or the bead was regrouped)">score —</span>`
      : `<span class="score${v.score < 0.5 ? " low" : ""}" title="aligner confidence">score ${v.score.toFixed(2)}</span>`;
    const badges = [];
    if (flagged) badges.push(`<span class="badge flag">⚑ flagged</span>`);
    if (v.state === "accepted") badges.push(`<span class="badge accepted">✓ accepted</span>`);
    if (v.state === "edited") badges.push(`<span class="badge edited">✎ edited${v.status === "accepted" ? ", accepted" : ""}</span>`);
    if (v.state === "rejected") badges.push(`<span class="badge rejected">✗ rejected</span>`);
    const fix = v.fix ? `<li class="fix"><button type="button" class="fixbtn" data-fix="${v.id}">Fix terms <kbd>g</kbd></button></li>` : "";
    const reasons = flagged ? `<ul class="reasons">${v.reasons.map((r) => `<li data-code="${esc(r.code)}">${esc(r.text)}</li>`).join("")}${fix}</ul>` : "";
    const kind = v.kind || `${v.src.length}-${v.tgt.length}`;  // a jsonl side may join lines
    const label = `Bead ${number}, ${kind}${flagged ? ", flagged" : ""}${v.state ? ", " + v.state : ""}`;
    return `<div class="${cls.join(" ")}" role="listitem" data-id="${v.id}" data-pos="${p}" tabindex="${v.id === focusId ? 0 : -1}" aria-label="${esc(label)}">` +
      `<div class="meta"><span class="num">#${number}</span><span class="kind">${esc(kind)}</span>${score}${badges.join("")}</div>` +
      sideHtml(v, "src") + sideHtml(v, "tgt") + reasons + `</div>`;
  }

  function render(force) {
    const w = viewport.clientWidth;
    if (w !== layoutWidth) { layoutWidth = w; heights.clear(); recomputeOffsets(); force = true; }
    $("empty").hidden = order.length > 0;
    const top = viewport.scrollTop, bottom = top + viewport.clientHeight;
    const a = findPos(Math.max(0, top - OVERSCAN));
    let b = findPos(bottom + OVERSCAN);
    if (!force && a === first && b === last) return;
    first = a; last = order.length ? b : -1;
    let html = "";
    for (let p = first; p <= last; p++) html += rowHtml(p);
    rowsEl.innerHTML = html;
    rowsEl.style.transform = `translateY(${offsets[first] || 0}px)`;
    // measure what was drawn; correct the estimates and the total height
    let changed = false;
    for (const el of rowsEl.children) {
      const id = +el.dataset.id, h = el.offsetHeight;
      if (heights.get(id) !== h) { heights.set(id, h); changed = true; }
    }
    if (changed) {
      recomputeOffsets();
      rowsEl.style.transform = `translateY(${offsets[first] || 0}px)`;
    }
    const f = rowsEl.querySelector(".row.focused");
    if (f && document.activeElement && (document.activeElement === document.body || document.activeElement.classList.contains("row"))) {
      f.focus({ preventScroll: true });
    }
    $("shown").textContent = order.length === beads.length ? "" : `showing ${order.length} of ${beads.length}`;
  }

  function scrollToFocus() {
    const p = orderPos(focusId);
    if (p < 0) { render(true); return; }
    const top = offsets[p], bottom = offsets[p + 1];
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (bottom > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = Math.max(top, bottom - viewport.clientHeight);
    render(true);
  }

  function setFocus(p) {
    if (!order.length) return;
    p = Math.max(0, Math.min(order.length - 1, p));
    focusId = beads[order[p]].id;
    scrollToFocus();
  }

  function renderCounts() {
    const flagged = beads.filter((v) => v.reasons.length);
    const flaggedLeft = flagged.filter((v) => !v.status).length;
    $("counts").textContent = `${counts.reviewed} reviewed · ${counts.remaining} remaining of ${counts.beads} · ` +
      `flagged ${flagged.length} (${flaggedLeft} not reviewed)` + (pending ? " · checking glossary terms…" : "");
    document.querySelector('[data-act="undo"]').disabled = !canUndo;
    document.querySelector('[data-act="redo"]').disabled = !canRedo;
  }

  // -- actions ---------------------------------------------------------------------------
  function focused() {
    const p = orderPos(focusId);
    return p < 0 ? null : beads[order[p]];
  }

  function refilter() {
    filters.flagged = $("f-flagged").checked;
    filters.glossary = $("f-glossary").checked;
    filters.open = $("f-open").checked;
    filters.search = $("f-search").value.trim().toLowerCase();
    rebuildOrder();
    if (orderPos(focusId) < 0) focusId = order.length ? beads[order[0]].id : null;
    viewport.scrollTop = 0;
    scrollToFocus();
  }

  function toggle(id) { const box = $(id); box.checked = !box.checked; refilter(); }

  function jumpFlag(dir) {
    const start = beads.indexOf(focused());
    for (let i = start + dir; i >= 0 && i < beads.length; i += dir) {
      if (beads[i].reasons.length) {
        if (!matches(beads[i])) { for (const id of ["f-glossary", "f-open"]) $(id).checked = false; $("f-search").value = ""; refilter(); }
        focusId = beads[i].id; scrollToFocus(); return;
      }
    }
    say("no more flagged beads this way", false);
  }

  async function exportNow() {
    try {
      const r = await post("/api/export", {});
      say(`wrote ${r.path}: ${r.written} units (${r.rejected} rejected and ${r.skipped_unmatched} unmatched left out)`, false);
    } catch (err) { say("export failed: " + err.message, true); }
  }

  function run(action) {
    const v = focused();
    const need = (fn) => { if (v) fn(v); else say("select a bead first", true); };
    switch (action) {
      case "next": return setFocus(orderPos(focusId) + 1);
      case "prev": return setFocus(orderPos(focusId) - 1);
      case "pageDown": return setFocus(findPos(offsets[Math.max(0, orderPos(focusId))] + viewport.clientHeight));
      case "pageUp": return setFocus(findPos(Math.max(0, offsets[Math.max(0, orderPos(focusId))] - viewport.clientHeight)));
      case "home": return setFocus(0);
      case "end": return setFocus(order.length - 1);
      case "nextFlag": return jumpFlag(1);
      case "prevFlag": return jumpFlag(-1);
      case "accept": return need((b) => act("status", { bead: b.id, status: b.status === "accepted" ? "" : "accepted" }));
      case "reject": return need((b) => act("status", { bead: b.id, status: b.status === "rejected" ? "" : "rejected" }));
      case "edit-tgt": return need((b) => openEditor(b, "tgt"));
      case "edit-src": return need((b) => openEditor(b, "src"));
      case "fix": return need((b) => act("fix", { bead: b.id }));
      case "merge-next": return need((b) => act("merge", { bead: b.id, direction: "next" }));
      case "merge-prev": return need((b) => act("merge", { bead: b.id, direction: "prev" }));
      case "split": return need((b) => act("split", { bead: b.id }));
      case "src-prev": return need((b) => act("move", { bead: b.id, side: "src", direction: "prev" }));
      case "src-next": return need((b) => act("move", { bead: b.id, side: "src", direction: "next" }));
      case "tgt-prev": return need((b) => act("move", { bead: b.id, side: "tgt", direction: "prev" }));
      case "tgt-next": return need((b) => act("move", { bead: b.id, side: "tgt", direction: "next" }));
      case "detach-tgt": return need((b) => act("detach", { bead: b.id, side: "tgt", end: "last" }));
      case "detach-src": return need((b) => act("detach", { bead: b.id, side: "src", end: "last" }));
      case "undo": return act("undo");
      case "redo": return act("redo");
      case "filter-flagged": return toggle("f-flagged");
      case "filter-glossary": return toggle("f-glossary");
      case "filter-open": return toggle("f-open");
      case "search": return $("f-search").focus();
      case "export": return exportNow();
      case "help": return showHelp(true);
    }
  }

  // -- dialogs ---------------------------------------------------------------------------
  let editing = null, lastFocus = null;
  function openEditor(v, side) {
    const texts = v[side];
    if (!texts.length) { say(`this bead has no ${side === "src" ? "source" : "target"} line to edit`, true); return; }
    editing = { id: v.id, side };
    $("editor-title").textContent = `Edit the ${side === "src" ? "source" : "target"} of bead #${beads.indexOf(v) + 1}`;
    const lang = side === "src" ? srcLang : tgtLang;
    $("editor-lines").innerHTML = texts.map((t, k) =>
      `<label>Line ${k + 1}<textarea lang="${esc(lang)}" data-k="${k}">${esc(t)}</textarea></label>`).join("");
    lastFocus = document.activeElement;
    $("editor").hidden = false;
    $("editor-lines").querySelector("textarea").focus();
  }
  function closeEditor() {
    $("editor").hidden = true; editing = null;
    const f = rowsEl.querySelector(".row.focused"); (f || viewport).focus({ preventScroll: true });
  }
  async function saveEditor(ev) {
    if (ev) ev.preventDefault();
    if (!editing) return;
    const texts = [...$("editor-lines").querySelectorAll("textarea")].map((t) => t.value);
    const { id, side } = editing;
    closeEditor();
    await act("edit", { bead: id, side, texts });
  }
  function showHelp(open) {
    $("help").hidden = !open;
    if (open) { $("help-close").focus({ preventScroll: true }); $("help").querySelector(".panel").scrollTop = 0; } else { const f = rowsEl.querySelector(".row.focused"); if (f) f.focus({ preventScroll: true }); }
  }

  // -- events ----------------------------------------------------------------------------
  function onKey(ev) {
    const inField = ev.target.matches && ev.target.matches("input, textarea");
    if (!$("editor").hidden) {
      if (ev.key === "Escape") { ev.preventDefault(); closeEditor(); }
      else if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); saveEditor(); }
      return;
    }
    if (!$("help").hidden) {
      if (ev.key === "Escape" || ev.key === "?") { ev.preventDefault(); showHelp(false); }
      return;
    }
    if (inField) {
      if (ev.key === "Escape" || ev.key === "Enter") { ev.preventDefault(); ev.target.blur(); const f = rowsEl.querySelector(".row.focused"); if (f) f.focus({ preventScroll: true }); }
      return;
    }
    if (ev.altKey) return;
    let action = null;
    if (ev.ctrlKey || ev.metaKey) {
      const k = ev.key.toLowerCase();
      if (k === "z") action = ev.shiftKey ? "redo" : "undo";
      else if (k === "y") action = "redo";
      else return;
    } else {
      action = KEYMAP[ev.key];
    }
    if (!action) return;
    if (ev.target.tagName === "BUTTON" && (ev.key === "Enter" || ev.key === " ")) return;
    ev.preventDefault();
    run(action);
  }

  function load(state) {
    beads = state.beads.map(norm); counts = state.counts; canUndo = state.undo; canRedo = state.redo;
    pending = state.pending;
    if (pending) setTimeout(poll, 1000);
  }

  // Large inputs with a glossary: terms are checked after the page is up; fetch again when done.
  async function poll() {
    if (busy) { setTimeout(poll, 300); return; } // never refetch across an action in flight
    busy = true;
    try {
      const r = await fetch("/api/pending", { credentials: "same-origin" });
      if ((await r.json()).pending) { busy = false; setTimeout(poll, 1000); return; }
      const state = await (await fetch("/api/state", { credentials: "same-origin" })).json();
      const keep = focusId;
      load(state);
      heights.clear();
      rebuildOrder();
      focusId = orderPos(keep) >= 0 ? keep : (order.length ? beads[order[0]].id : null);
      renderCounts();
      render(true);
      say("glossary terms checked", false);
      busy = false;
    } catch (err) { busy = false; setTimeout(poll, 2000); }
  }

  function init(state) {
    load(state);
    $("help-keys").innerHTML = KEYS.map(([k, d]) => `<tr><td>${k.split(" / ").map((x) => `<kbd>${esc(x)}</kbd>`).join(" / ")}</td><td>${esc(d)}</td></tr>`).join("");
    rebuildOrder();
    focusId = order.length ? beads[order[0]].id : null;
    renderCounts();
    render(true);
    viewport.addEventListener("scroll", () => { if (!scrollPending) { scrollPending = true; requestAnimationFrame(() => { scrollPending = false; render(false); }); } }, { passive: true });
    window.addEventListener("resize", () => render(true));
    document.addEventListener("keydown", onKey);
    rowsEl.addEventListener("click", (ev) => {
      const row = ev.target.closest(".row");
      if (!row) return;
      focusId = +row.dataset.id;
      const fixBtn = ev.target.closest("button[data-fix]");
      if (fixBtn) { act("fix", { bead: +fixBtn.dataset.fix }); return; }
      render(true);
      row.focus && rowsEl.querySelector(".row.focused").focus({ preventScroll: true });
    });
    document.querySelector("nav.actions").addEventListener("click", (ev) => {
      const b = ev.target.closest("button[data-act]");
      if (b) run(b.dataset.act);
    });
    for (const id of ["f-flagged", "f-glossary", "f-open"]) $(id).addEventListener("change", refilter);
    $("f-search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(refilter, 150); });
    $("editor-form").addEventListener("submit", saveEditor);
    $("editor-cancel").addEventListener("click", closeEditor);
    $("help-close").addEventListener("click", () => showHelp(false));
    const f = rowsEl.querySelector(".row.focused"); if (f) f.focus({ preventScroll: true });
    window.__reviewReady = performance.now();
  }
  let scrollPending = false, searchTimer = null;

  // The token came in the URL; the server set a cookie, so drop it from the address bar.
  if (location.search.includes("token=")) history.replaceState(null, "", location.pathname);
  fetch("/api/state", { credentials: "same-origin" })
    .then((r) => { if (!r.ok) throw new Error("the server refused: " + r.status); return r.json(); })
    .then(init)
    .catch((err) => say(String(err.message || err), true));
})();
