// zhanggui cockpit: sortable and filterable tables, the custom period switch and live
// import progress. Small and hand-written; the pages work without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.sortable")) {
    table.querySelectorAll("th").forEach((th, col) => {
      const sort = () => {
        const body = table.tBodies[0];
        const asc = !th.classList.contains("asc");
        table.querySelectorAll("th").forEach((h) => h.classList.remove("asc", "desc"));
        th.classList.add(asc ? "asc" : "desc");
        const key = (tr) => {
          const td = tr.children[col];
          if (!td) return "";
          return td.dataset.v !== undefined ? parseFloat(td.dataset.v) : td.textContent.trim();
        };
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a), y = key(b);
          const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
          return asc ? c : -c;
        });
        rows.forEach((r) => body.appendChild(r));
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (e) => { if (e.key === "Enter") sort(); });
    });
  }
  for (const input of document.querySelectorAll("input.filter")) {
    input.addEventListener("input", () => {
      const q = input.value.trim().toLowerCase();
      const table = document.getElementById(input.dataset.table);
      for (const tr of table.tBodies[0].rows) {
        tr.classList.toggle("hidden", q !== "" && !tr.textContent.toLowerCase().includes(q));
      }
    });
  }
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  const period = document.getElementById("period");
  if (period) {
    const sync = () => period.form.classList.toggle("custom-on", period.value === "custom");
    period.addEventListener("change", sync);
    sync();
  }
  if (document.querySelector(".job[data-finished='false']")) {
    setTimeout(() => location.reload(), 1000);
  }
});
// The live size of a segment filter while it is typed (members → segments).
document.addEventListener("DOMContentLoaded", () => {
  for (const area of document.querySelectorAll("textarea[data-preview]")) {
    const out = document.querySelector("#live-size .size");
    let timer = null;
    let asked = 0;
    const ask = async () => {
      const text = area.value.trim();
      if (text === "") { out.textContent = "–"; return; }
      const mine = ++asked;
      try {
        const res = await fetch(area.dataset.preview + "&filter=" + encodeURIComponent(text), { credentials: "same-origin" });
        const body = await res.json();
        if (mine !== asked) return;
        out.classList.toggle("bad", !res.ok);
        out.textContent = res.ok ? body.size + " / " + body.of : body.error.message;
      } catch (e) {
        out.textContent = "?";
      }
    };
    area.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 250); });
    ask();
  }
  // The desk's script box searches while typing (the form still works without scripts).
  for (const box of document.querySelectorAll("input[data-scripts]")) {
    const list = document.getElementById("script-results");
    let timer = null;
    let asked = 0;
    const show = (scripts) => {
      list.replaceChildren();
      for (const s of scripts) {
        const li = document.createElement("li");
        const title = document.createElement("strong");
        title.textContent = s.title;
        const where = document.createElement("span");
        where.className = "muted";
        where.textContent = " " + s.category + (s.subcategory ? " / " + s.subcategory : "") + (s.shortcut ? " · " + s.shortcut : "");
        li.append(title, where, document.createElement("br"), s.text);
        list.append(li);
      }
    };
    const ask = async () => {
      const mine = ++asked;
      try {
        const res = await fetch(box.dataset.scripts + "&limit=12&q=" + encodeURIComponent(box.value), { credentials: "same-origin" });
        if (!res.ok || mine !== asked) return;
        show(await res.json());
      } catch (e) {
        /* the list keeps what the page showed */
      }
    };
    box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 150); });
  }
});
