// DermDesk teledermatology pages: zoom and pan on the pictures (wheel, drag, pinch, buttons), the
// length counter of the text boxes, the differential's bars, and drafts kept in this browser
// (localStorage) so that an answer typed while the session expired is not lost. No framework.
"use strict";

function viewer(box) {
  const img = box.querySelector("img");
  let scale = 1, x = 0, y = 0;
  const pointers = new Map();
  let pinch = null;
  function apply() {
    const w = box.clientWidth, h = box.clientHeight;
    x = Math.min(0, Math.max(w - w * scale, x));
    y = Math.min(0, Math.max(h - h * scale, y));
    img.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
  }
  function zoomAt(factor, cx, cy) {
    const next = Math.min(8, Math.max(1, scale * factor));
    x = cx - (cx - x) * (next / scale);
    y = cy - (cy - y) * (next / scale);
    scale = next;
    apply();
  }
  box.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = box.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  box.addEventListener("pointerdown", (e) => { box.setPointerCapture(e.pointerId); pointers.set(e.pointerId, e); });
  box.addEventListener("pointermove", (e) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
    pointers.set(e.pointerId, e);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY);
      const r = box.getBoundingClientRect();
      if (pinch) zoomAt(d / pinch, (a.clientX + b.clientX) / 2 - r.left, (a.clientY + b.clientY) / 2 - r.top);
      pinch = d;
    } else {
      x += e.clientX - last.clientX;
      y += e.clientY - last.clientY;
      apply();
    }
  });
  const up = (e) => { pointers.delete(e.pointerId); pinch = null; };
  box.addEventListener("pointerup", up);
  box.addEventListener("pointercancel", up);
  const buttons = box.parentElement.querySelectorAll("[data-zoom]");
  buttons.forEach((button) => button.addEventListener("click", () => {
    const kind = button.dataset.zoom;
    if (kind === "reset") { scale = 1; x = 0; y = 0; apply(); return; }
    zoomAt(kind === "in" ? 1.5 : 1 / 1.5, box.clientWidth / 2, box.clientHeight / 2);
  }));
  box.addEventListener("keydown", (e) => {
    if (e.key === "+" || e.key === "=") zoomAt(1.5, box.clientWidth / 2, box.clientHeight / 2);
    if (e.key === "-") zoomAt(1 / 1.5, box.clientWidth / 2, box.clientHeight / 2);
  });
}

function counter(form) {
  const area = form.querySelector("textarea[data-limit]");
  const label = form.querySelector("[data-counter]");
  if (!area || !label) return;
  const limit = Number(area.dataset.limit);
  const show = () => {
    label.textContent = `${area.value.length} / ${limit}`;
    label.classList.toggle("over", area.value.length > limit);
  };
  area.addEventListener("input", show);
  show();
}

const DRAFT = "dermdesk-draft:";
function drafts(form) {
  const key = DRAFT + form.dataset.draft;
  const fields = form.querySelectorAll("textarea, select, input[type=number]");
  const saved = localStorage.getItem(key);
  const area = form.querySelector("textarea");
  if (saved && area && !area.value) {
    try {
      const values = JSON.parse(saved);
      fields.forEach((f) => { if (values[f.name] !== undefined) f.value = values[f.name]; });
      const note = document.createElement("p");
      note.className = "note draft-restored";
      note.textContent = form.closest("main").dataset.restored || "Your unsent draft was restored.";
      form.prepend(note);
      area.dispatchEvent(new Event("input"));
    } catch (err) { localStorage.removeItem(key); }
  }
  const save = () => {
    const values = {};
    fields.forEach((f) => { values[f.name] = f.value; });
    localStorage.setItem(key, JSON.stringify(values));
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".zoom").forEach(viewer);
  document.querySelectorAll("form").forEach(counter);
  document.querySelectorAll(".bar[data-width]").forEach((bar) => { bar.style.width = `${bar.dataset.width}%`; });
  const sent = document.querySelector("[data-sent]");
  if (sent) {  // a reply went through: its drafts are done with
    Object.keys(localStorage)
      .filter((k) => k.startsWith(DRAFT + sent.dataset.sent + ":"))
      .forEach((k) => localStorage.removeItem(k));
  }
  document.querySelectorAll("form[data-draft]").forEach(drafts);
  document.querySelectorAll("form[data-clear-drafts]").forEach((form) => form.addEventListener("submit", () => {
    Object.keys(localStorage).filter((k) => k.startsWith(DRAFT)).forEach((k) => localStorage.removeItem(k));
  }));
});
