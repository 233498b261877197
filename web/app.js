// Cầu Nối pages: the small script that connects server-rendered pages to the JSON API.
// - form[data-api]: sends the fields as JSON; errors appear next to the field the API names.
// - [data-source]: loads JSON and fills a <template> per item (or the element itself).
// - input[data-complete]: typeahead into a <datalist>.
// - [data-scan]: reads a QR code with the camera (BarcodeDetector, else jsQR) into a field.
// No framework and no external file: it must work offline on a cheap phone.
"use strict";
(function () {
  const lang = document.documentElement.lang === "en" ? "en" : "vi";
  const say = (vi, en) => (lang === "en" ? en : vi);
  const pageParams = new URLSearchParams(location.search);

  function get(object, path) {
    if (path === "." || path === "") return object;
    return path.split(".").reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), object);
  }
  function set(object, path, value) {
    const keys = path.split(".");
    let at = object;
    // "responses.0.trades.0.text": numeric keys make arrays.
    keys.slice(0, -1).forEach((k, i) => { at = at[k] = at[k] || (/^\d+$/.test(keys[i + 1]) ? [] : {}); });
    at[keys[keys.length - 1]] = value;
  }
  // Today in Vietnam (UTC+7 all year), as yyyy-mm-dd.
  const today = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  // "{id}" from the item, "{?name}" from the page's query string ("{?from:today}": today when
  // the page has none).
  function fillTokens(text, item) {
    return text.replace(/\{(\??)([\w.]+)(?::today)?\}/g, (token, fromPage, path) => {
      let value = fromPage ? pageParams.get(path) : get(item, path);
      if ((value === null || value === "") && token.endsWith(":today}")) value = today;
      return value === null || value === undefined ? "" : encodeURIComponent(value);
    });
  }
  // An address without its empty query parameters (an unset filter is no filter).
  function withoutEmptyParams(url) {
    const [path, query] = url.split("?");
    if (query === undefined) return url;
    const kept = query.split("&").filter((pair) => pair && !pair.endsWith("="));
    return kept.length ? path + "?" + kept.join("&") : path;
  }

  async function api(method, url, body, contentType) {
    const init = { method, credentials: "same-origin", headers: { accept: "application/json" } };
    if (body !== undefined) {
      init.headers["content-type"] = contentType || "application/json";
      init.body = contentType ? body : JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = text; }
    if (!response.ok) {
      const error = (data && data.error) || { code: "HTTP_" + response.status, message: "Đã có lỗi (" + response.status + ").", message_en: "Something went wrong (" + response.status + ")." };
      error.status = response.status;
      throw error;
    }
    return data;
  }
  const messageOf = (error) => (lang === "en" ? error.message_en || error.message : error.message);

  const labelsBlock = document.getElementById("labels");
  const labels = labelsBlock ? JSON.parse(labelsBlock.textContent) : {};
  function format(value, how) {
    if (value === null || value === undefined || value === "") return "";
    // "label:fair_status": the Vietnamese label of a code (the code itself in English pages).
    if (how && how.startsWith("label:")) return lang === "vi" ? (labels[how.slice(6)] || {})[value] || String(value) : String(value).replace(/_/g, " ");
    switch (how) {
      case "date": return new Date(value).toLocaleDateString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });
      case "datetime": return new Date(value).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" });
      case "number": return Number(value).toLocaleString("vi-VN");
      case "yesno": return value ? say("Có", "Yes") : "";
      case "score": return Math.round(Number(value)) + "/100";
      case "percent": return (Number(value) * 100).toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + " %";
      case "list": return Array.isArray(value) ? value.map((v) => (typeof v === "object" ? JSON.stringify(v) : v)).join(", ") : String(value);
      case "json": return typeof value === "object" ? JSON.stringify(value) : String(value);
      case "money": {
        // {amount_minor, currency}: đồng, yên and won have no minor unit.
        const whole = ["VND", "JPY", "KRW"].includes(value.currency) ? value.amount_minor : value.amount_minor / 100;
        return Number(whole).toLocaleString("vi-VN") + " " + value.currency;
      }
      case "grouped": return String(value).replace(/(.{4})/g, "$1 ").trim();
      default: return typeof value === "object" ? JSON.stringify(value) : String(value);
    }
  }

  function truthy(value) {
    return !(value === undefined || value === null || value === false || value === "" || value === 0 || (Array.isArray(value) && value.length === 0));
  }

  // The element and its descendants, except inside parts already filled from a sub-item
  // (the copies made for [data-each]).
  function elementsOf(root) {
    const out = [root];
    const walk = (node) => { for (const child of node.children) { if (child.hasAttribute("data-filled")) continue; out.push(child); walk(child); } };
    walk(root);
    return out;
  }

  // Fills an element (a clone of a template, or a [data-source] itself) from one item.
  function fill(root, item) {
    root.querySelectorAll("[data-each]").forEach((list) => {
      if (!root.contains(list) || !list.hasAttribute("data-each")) return; // inside a copy already filled
      const pattern = list.firstElementChild;
      if (!pattern) return;
      const items = get(item, list.dataset.each) || [];
      list.replaceChildren(...items.map((sub) => { const copy = pattern.cloneNode(true); fill(copy, sub); copy.setAttribute("data-filled", ""); return copy; }));
      list.removeAttribute("data-each");
    });
    elementsOf(root).forEach((el) => {
      const d = el.dataset;
      if (d.if !== undefined && !truthy(get(item, d.if))) { el.remove(); return; }
      if (d.needsPage !== undefined && !pageParams.get(d.needsPage)) { el.remove(); return; }
      if (d.unless !== undefined && truthy(get(item, d.unless))) { el.remove(); return; }
      if (d.eq !== undefined) { const [path, wanted] = d.eq.split("="); if (String(get(item, path)) !== wanted) { el.remove(); return; } }
      if (d.f !== undefined) el.textContent = format(get(item, lang === "en" && d.fEn ? d.fEn : d.f), d.format);
      if (d.html !== undefined) el.innerHTML = get(item, d.html) || ""; // only for fields the server escaped (snippet_html)
      if (d.href !== undefined) el.setAttribute("href", fillTokens(d.href, item));
      if (d.src !== undefined) el.setAttribute("src", fillTokens(d.src, item));
      if (d.value !== undefined) el.value = get(item, d.value) ?? "";
      if (d.api !== undefined && el.tagName === "FORM" && d.api.includes("{")) el.dataset.api = fillTokens(d.api, item);
      if (d.optionsFrom !== undefined) { const from = document.querySelector(d.optionsFrom); if (from) el.innerHTML = from.innerHTML; }
    });
  }

  const reveal = (container) => { if (container.getAttribute("aria-hidden") !== "true") container.hidden = false; };
  // "Nothing here" in a list: a paragraph, or a whole row in a table body.
  function emptyNote(container, text) {
    const note = document.createElement("p");
    note.className = "empty";
    note.textContent = text;
    if (container.tagName !== "TBODY") return note;
    const row = document.createElement("tr");
    const cell = document.createElement("td");
    cell.colSpan = 99;
    cell.append(note);
    row.append(cell);
    return row;
  }
  // data-needs="year indicator": what the page's query must hold before the element is filled.
  const pageHas = (el) => (el.dataset.needs || "").split(" ").filter(Boolean).every((name) => pageParams.get(name));
  async function load(container) {
    if (!pageHas(container)) {
      container.replaceChildren(emptyNote(container, container.dataset.empty || ""));
      return;
    }
    const url = withoutEmptyParams(fillTokens(container.dataset.source, {}));
    const hides = () => { if (container.dataset.hides) document.querySelectorAll(container.dataset.hides).forEach((e) => { e.hidden = true; }); };
    const status = container.querySelector(":scope > .loading");
    try {
      const data = await api("GET", url);
      const list = container.dataset.path ? get(data, container.dataset.path) : data;
      const template = container.dataset.template && document.getElementById(container.dataset.template);
      if (!template) {
        if (!container.dataset.pattern) container.dataset.pattern = container.innerHTML;
        else container.innerHTML = container.dataset.pattern;
        fill(container, list);
        reveal(container);
        hides();
        container.dispatchEvent(new CustomEvent("loaded", { detail: data, bubbles: true }));
        return;
      }
      const items = Array.isArray(list) ? list : list ? [list] : [];
      const render = (item) => { const copy = template.content.cloneNode(true); const box = document.createElement("div"); box.append(copy); fill(box, item); return [...box.childNodes]; };
      if (items.length === 0) {
        container.replaceChildren(emptyNote(container, container.dataset.empty || say("Chưa có dữ liệu.", "Nothing yet.")));
      } else if (container.dataset.groupBy) {
        const groups = new Map();
        items.forEach((item) => { const key = format(get(item, container.dataset.groupBy), container.dataset.groupFormat); if (!groups.has(key)) groups.set(key, []); groups.get(key).push(item); });
        container.replaceChildren(...[...groups].map(([key, members]) => {
          const section = document.createElement("section");
          const heading = document.createElement("h3");
          heading.textContent = key + " (" + members.length + ")";
          const ul = document.createElement("ul");
          ul.className = "cards";
          members.forEach((m) => ul.append(...render(m)));
          section.append(heading, ul);
          return section;
        }));
      } else {
        container.replaceChildren(...items.flatMap(render));
      }
      reveal(container);
      hides();
      container.dispatchEvent(new CustomEvent("loaded", { detail: data, bubbles: true }));
    } catch (error) {
      if (status) status.remove();
      if (container.dataset.quiet !== undefined && error.status === 404) { container.hidden = true; return; }
      const p = document.createElement("p");
      p.className = "form-error";
      p.setAttribute("role", "alert");
      p.textContent = messageOf(error);
      if (error.status === 401) {
        const a = document.createElement("a");
        a.href = "/dang-nhap?next=" + encodeURIComponent(location.pathname + location.search);
        a.textContent = " " + say("Đăng nhập", "Sign in");
        p.append(a);
      }
      container.replaceChildren(p);
      container.hidden = false;
    }
  }
  const refreshAll = () => document.querySelectorAll("[data-source]").forEach(load);

  // The JSON body of a form: dotted names nest, data-type converts.
  function bodyOf(form) {
    const body = {};
    const arrays = new Set();
    [...form.elements].forEach((el) => {
      if (!el.name || el.disabled || el.type === "submit" || el.type === "file") return;
      const type = el.dataset.type;
      if (type === "array") {
        if (!arrays.has(el.name)) { set(body, el.name, []); arrays.add(el.name); }
        if (el.checked) get(body, el.name).push(el.value);
        return;
      }
      if (el.type === "checkbox") { set(body, el.name, el.checked); return; }
      if (el.type === "radio") { if (el.checked) set(body, el.name, type === "bool" ? el.value === "true" : el.value); return; }
      const raw = el.value.trim();
      if (raw === "") { if (type === "list") set(body, el.name, []); return; }
      let value = raw;
      if (type === "number") value = Number(raw.replace(/\./g, "").replace(",", "."));
      else if (type === "bool") value = raw === "true";
      else if (type === "list") value = raw.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
      else if (type === "compact") value = raw.replace(/\s+/g, "");
      else if (type === "numbers") value = raw.split(/[,;\s]+/).filter(Boolean).map(Number);
      else if (type === "datetime") value = new Date(raw).toISOString();
      else if (type === "json") { try { value = JSON.parse(raw); } catch (_) { value = raw; } }
      set(body, el.name, value);
    });
    return body;
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error, .form-error, .notice.result").forEach((e) => e.remove());
    form.querySelectorAll("[aria-invalid]").forEach((e) => { e.removeAttribute("aria-invalid"); e.removeAttribute("aria-describedby"); });
  }

  // The field the API names ("worker.cccd", "fair.ends_at"), or the nearest by its last parts.
  function fieldFor(form, name) {
    if (!name) return null;
    const parts = name.split(".");
    for (let i = 0; i < parts.length; i++) {
      const candidate = parts.slice(i).join(".");
      const found = [...form.elements].find((el) => el.name === candidate || (el.name && el.name.endsWith("." + candidate)));
      if (found) return found;
    }
    return null;
  }

  function showError(form, error) {
    const field = fieldFor(form, error.field);
    const p = document.createElement("p");
    p.setAttribute("role", "alert");
    p.textContent = messageOf(error);
    if (field) {
      p.className = "field-error";
      p.id = "error-" + field.name.replace(/\W/g, "-");
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", p.id);
      (field.closest("label") || field).after(p);
      field.focus();
    } else {
      p.className = "form-error";
      form.append(p);
    }
  }

  function done(form, data) {
    const how = form.dataset.done || "message";
    if (how.startsWith("go:")) { location.href = fillTokens(how.slice(3), data || {}); return; }
    if (how === "next") {
      const next = pageParams.get("next");
      location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : form.dataset.next || "/";
      return;
    }
    if (how === "reload") { location.reload(); return; }
    if (how === "refresh") refreshAll();
    const target = form.dataset.result && document.querySelector(form.dataset.result);
    if (target) {
      const template = target.dataset.template && document.getElementById(target.dataset.template);
      if (template) { const box = document.createElement("div"); box.append(template.content.cloneNode(true)); fill(box, data || {}); target.replaceChildren(...box.childNodes); }
      target.hidden = false;
      target.dispatchEvent(new CustomEvent("loaded", { detail: data, bubbles: true }));
    }
    if (form.dataset.success) {
      const p = document.createElement("p");
      p.className = "notice result";
      p.setAttribute("role", "status");
      p.textContent = form.dataset.success + (data && data.message && lang === "vi" ? " " + data.message : "");
      form.append(p);
    }
    if (form.dataset.reset !== undefined) form.reset();
  }

  async function submit(form, event) {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    try {
      let data;
      const file = form.querySelector("input[type=file]");
      if (file) {
        if (!file.files.length) { showError(form, { field: file.name, message: "Hãy chọn một tệp.", message_en: "Choose a file." }); return; }
        const chosen = file.files[0];
        const kind = chosen.name.toLowerCase().endsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : chosen.name.toLowerCase().endsWith(".csv") ? "text/csv" : "application/json";
        data = await api(form.dataset.method || "POST", form.dataset.api, await chosen.arrayBuffer(), kind);
      } else {
        const body = bodyOf(form);
        data = await api(form.dataset.method || "POST", form.dataset.api, form.dataset.method === "DELETE" ? undefined : body);
      }
      done(form, data);
    } catch (error) {
      showError(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  }

  async function prefill(form) {
    try {
      const data = await api("GET", form.dataset.fill);
      [...form.elements].forEach((el) => {
        if (!el.name) return;
        const value = get(data, el.dataset.from || el.name);
        if (value === undefined || value === null) return;
        // Arrays of codes, or of records such as consents ({purpose, withdrawn_at}).
        if (el.dataset.type === "array") el.checked = Array.isArray(value) && value.some((v) => v === el.value || (v && v.purpose === el.value && !v.withdrawn_at));
        else if (el.type === "checkbox") el.checked = Boolean(value);
        else if (el.dataset.type === "list" && Array.isArray(value)) el.value = value.join(", ");
        else if (typeof value === "object") el.value = JSON.stringify(value);
        else el.value = value;
      });
      if (form.dataset.methodWhenFilled) form.dataset.method = form.dataset.methodWhenFilled;
      form.dispatchEvent(new CustomEvent("filled", { detail: data }));
    } catch (_) { /* nothing yet: the form creates */ }
  }

  // Suggestions into the field's <datalist> as the user types: vacancy typeahead
  // (data-complete, {text, count}) or a reference lookup (data-lookup with the item's value and
  // label keys: occupations, communes).
  function typeahead(input) {
    const list = document.getElementById(input.getAttribute("list"));
    const lookup = input.dataset.lookup;
    let timer = null;
    let last = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const typed = input.value.trim();
        if (typed.length < 2 || typed === last || /^\d+$/.test(typed) && lookup) return;
        last = typed;
        try {
          const url = (lookup || input.dataset.complete) + "?limit=10&q=" + encodeURIComponent(typed);
          const found = await api("GET", url);
          list.replaceChildren(...found.map((s) => {
            const o = document.createElement("option");
            if (lookup) { o.value = get(s, input.dataset.lookupValue); o.label = get(s, input.dataset.lookupLabel) + (s.matched_old_name ? " — " + s.matched_old_name : ""); }
            else { o.value = s.text; o.label = s.text + " (" + s.count + ")"; }
            return o;
          }));
        } catch (_) { /* suggestions are a convenience; the form and search still work */ }
      }, 150);
    });
  }

  // Camera QR reading: the browser's own BarcodeDetector where it reads QR codes (Chrome on
  // Android), else jsQR, fetched only then (desktop and Linux Chromium, Firefox, Safari). Either
  // way a reader takes a <video> and answers the code or null. Typing the code always works.
  let decoderLoading = null;
  async function qrReader() {
    if ("BarcodeDetector" in window && (await window.BarcodeDetector.getSupportedFormats().catch(() => [])).includes("qr_code")) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async (video) => { const codes = await detector.detect(video).catch(() => []); return codes.length ? codes[0].rawValue : null; };
    }
    decoderLoading = decoderLoading || new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = "/static/jsqr.js";
      tag.onload = () => resolve(window.jsQR);
      tag.onerror = () => { decoderLoading = null; reject(new Error("/static/jsqr.js")); };
      document.head.appendChild(tag);
    });
    const decode = await decoderLoading;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async (video) => {
      if (!video.videoWidth) return null;
      // At most 640 px across: a cheap phone decodes it in time, and a ticket is still sharp.
      const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
      const width = Math.round(video.videoWidth * scale), height = Math.round(video.videoHeight * scale);
      // Resizing clears and reallocates the canvas: only when the camera's frame size changes.
      if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = decode(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      return code ? code.data : null;
    };
  }

  function scanner(button) {
    const target = document.getElementById(button.dataset.scan);
    const video = document.getElementById(button.dataset.video);
    const note = document.getElementById(button.dataset.note);
    button.addEventListener("click", async () => {
      if (!video.hidden) return; // already scanning
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        note.textContent = say("Trình duyệt này không mở được camera; hãy nhập mã trên vé.", "This browser cannot open the camera; type the code on the ticket.");
        return;
      }
      try {
        const read = await qrReader();
        const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        note.textContent = say("Đưa mã QR trên vé vào khung hình…", "Hold the ticket's QR code in view…");
        const tick = async () => {
          const code = await read(video).catch(() => null);
          if (code) {
            stream.getTracks().forEach((t) => t.stop());
            video.hidden = true;
            note.textContent = "";
            target.value = code;
            target.form.requestSubmit();
          } else if (!video.hidden) {
            setTimeout(tick, 250);
          }
        };
        tick();
      } catch (error) {
        note.textContent = say("Không mở được camera: ", "Could not open the camera: ") + error.message + say(". Hãy nhập mã trên vé.", ". Type the code on the ticket.");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const wired = new WeakSet();
    const wire = (form) => { if (!wired.has(form)) { wired.add(form); form.addEventListener("submit", (e) => submit(form, e)); } };
    document.querySelectorAll("form[data-api]").forEach(wire);
    // Forms inside loaded lists are wired as they arrive.
    document.addEventListener("loaded", (e) => e.target.querySelectorAll("form[data-api]").forEach(wire));
    document.querySelectorAll("form[data-fill]").forEach(prefill);
    // Filter forms (GET) show the filters the page was opened with.
    document.querySelectorAll("form[method=get]").forEach((form) => [...form.elements].forEach((el) => {
      if (el.name && pageParams.has(el.name) && el.type !== "hidden") el.value = pageParams.get(el.name);
    }));
    // A select filled from the API keeps the page's choice once its options arrive.
    document.addEventListener("loaded", (e) => { const el = e.target; if (el.tagName === "SELECT" && el.name && pageParams.has(el.name)) el.value = pageParams.get(el.name); });
    // Date fields that default to today (in Vietnam).
    document.querySelectorAll("input[data-today]").forEach((input) => { if (!input.value) input.value = today; });
    // Images whose address comes from the page's query (a chart of the chosen indicator).
    document.querySelectorAll("img[data-page-src]").forEach((img) => {
      if (pageHas(img)) { img.src = fillTokens(img.dataset.pageSrc, {}); img.hidden = false; }
    });
    document.querySelectorAll("p[data-needs]:not([data-source])").forEach((p) => { p.hidden = !pageHas(p); });
    document.querySelectorAll("a[data-page-href]").forEach((a) => {
      const wanted = [...a.dataset.pageHref.matchAll(/\{\?(\w+)\}/g)].map((m) => m[1]);
      if (wanted.every((name) => pageParams.get(name))) a.href = fillTokens(a.dataset.pageHref, {});
    });
    document.querySelectorAll("input[data-complete], input[data-lookup]").forEach(typeahead);
    document.querySelectorAll("[data-scan]").forEach(scanner);
    document.querySelectorAll("[data-sign-out]").forEach((b) => b.addEventListener("click", async () => {
      await api("DELETE", "/api/v1/sessions/current").catch(() => {});
      location.href = "/";
    }));
    refreshAll();
  });
})();
