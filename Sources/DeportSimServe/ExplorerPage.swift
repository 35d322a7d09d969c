import DeportSimReport

/// The explorer's page: one HTML file with its CSS and script inline;
/// nothing is fetched but this server's own /api answers. Charts arrive as
/// SVG drawn by DeportSimReport's chart code (the report's), so the page
/// only places them; all text from the scenario is set with textContent.
enum ExplorerPage {
    static let html = """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>DeportSim explorer</title>
    <style>\(Report.stylesheet)
    body{max-width:1400px}
    .layout{display:grid;grid-template-columns:minmax(300px,380px) 1fr;gap:18px;align-items:start}
    @media (max-width:900px){.layout{grid-template-columns:1fr}}
    form{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto;padding-right:6px}
    fieldset{border:1px solid #bbb;margin:0 0 10px;padding:6px 10px}legend{font-weight:600}
    .control{margin:0 0 10px}.control label{display:block;font-weight:600;font-size:.92em}
    .control .row{display:flex;gap:6px;align-items:center}.control input[type=range]{flex:1;min-width:0}
    .control input[type=number]{width:7.5em}.control .meta{font-size:.8em;color:#444}
    .control.changed label::after{content:" (changed)";font-weight:400;color:#b35806}
    .control .note{font-size:.78em;color:#7a4a00;margin:2px 0 0}
    input[aria-invalid=true]{outline:2px solid #b00020}
    #error{background:#fde8ea;border-left:4px solid #b00020;padding:6px 10px;white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
    #status{font-size:.9em;color:#333;min-height:1.3em}
    button{font:inherit;font-size:.85em}figure .save{margin-top:2px}
    :focus-visible{outline:3px solid #1f6feb;outline-offset:2px}
    .downloads a{margin-right:1em}
    </style></head>
    <body>
    <header><h1 id="title">DeportSim explorer</h1><p class="lead" id="description"></p>
    <p class="small" id="about"></p></header>
    <div class="layout">
    <form id="controls" aria-label="Settings of the variant" onsubmit="return false">
    <fieldset id="countries"><legend>Countries to chart</legend></fieldset>
    <fieldset><legend>Run</legend><div class="control"><label for="replications">Replications</label>
    <div class="row"><input type="number" id="replications" min="1" step="1"><span class="meta" id="replications-meta"></span></div></div></fieldset>
    <fieldset id="parameters"><legend>Variant settings (baseline values marked)</legend></fieldset>
    <p><button type="button" id="reset">Reset all to baseline</button></p>
    <p class="downloads small">Downloads for these settings:<br><a id="dl-overlay" href="#">overlay YAML</a>
    <a id="dl-summary" href="#">summary.csv</a> <a id="dl-difference" href="#">difference.csv</a></p>
    </form>
    <main>
    <p id="status" role="status" aria-live="polite"></p>
    <div id="error" role="alert" hidden></div>
    <section><h2 id="whole-run-heading">Whole run: variant against baseline</h2>
    <p class="small">Means over the replications; the difference is paired (common random numbers), with its 90% interval. Flows are totals over the run, stocks values on its last day.</p>
    <table class="data" id="whole-run" aria-labelledby="whole-run-heading"><thead><tr><th scope="col">Country</th><th scope="col">Metric</th>
    <th scope="col">Baseline</th><th scope="col">Variant</th><th scope="col">Difference</th><th scope="col">90% interval of the difference</th></tr></thead><tbody></tbody></table>
    </section>
    <section><h2>Over time</h2><p class="small" id="charts-note">Left: baseline (solid) and variant (dashed) means with their 90% bands. Right: the paired difference variant minus baseline, its mean and 90% band. Numbered dashed lines: the scenario's events.</p>
    <ol class="events small" id="events"></ol>
    <div id="charts"></div></section>
    <footer id="explorer-end">DeportSim explorer (deportsim serve). Charts are drawn by the same code as deportsim report.</footer>
    </main></div>
    <script>\(ChartSave.script)</script>
    <script>
    "use strict";
    const $ = (s) => document.querySelector(s);
    const fmt = new Intl.NumberFormat("en-US", {maximumFractionDigits: 1});
    const num = (x) => typeof x === "number" && isFinite(x) ? fmt.format(Math.abs(x) < 10 && x !== Math.round(x) ? Math.round(x * 100) / 100 : x) : String(x);
    let meta = null, controller = null, timer = null, sequence = 0;
    const inputs = new Map();

    function el(tag, attrs, text) {
      const e = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
      if (text !== undefined) e.textContent = text;
      return e;
    }

    function fromURL() {
      const q = new URLSearchParams(location.search), settings = {};
      for (const [k, v] of q) if (k.includes(".")) settings[k] = v;
      return {settings, countries: (q.get("country") || "").split(",").filter(Boolean), replications: q.get("replications")};
    }

    function current() {
      const settings = {};
      for (const c of meta.controls) {
        const v = inputs.get(c.path).number.value;
        if (v !== "" && Number(v) !== c.baseline) settings[c.path] = Number(v);
      }
      const countries = [...document.querySelectorAll("#countries input:checked")].map((e) => e.value);
      return {settings, countries, replications: Number($("#replications").value) || meta.replications};
    }

    function query(state) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(state.settings)) q.append(k, String(v));
      if (state.countries.length) q.set("country", state.countries.join(","));
      if (state.replications !== meta.replications) q.set("replications", String(state.replications));
      return q.toString();
    }

    function build() {
      $("#title").textContent = "Explorer: " + meta.scenario;
      $("#description").textContent = meta.description;
      $("#about").textContent = meta.file + ", " + meta.start + " to " + meta.end + ", seed " + meta.seed + ", by " + meta.period +
        ". Each change re-runs the baseline and the variant with common random numbers.";
      const wanted = fromURL();
      const chosen = wanted.countries.length ? wanted.countries : meta.countries.slice(0, 1).map((c) => c.code);
      for (const c of meta.countries) {
        const id = "country-" + c.code;
        const box = el("input", {type: "checkbox", id, value: c.code});
        box.checked = chosen.includes(c.code);
        box.addEventListener("change", schedule);
        const label = el("label", {for: id}, " " + c.code + (c.name && c.name !== c.code ? " — " + c.name : ""));
        const wrap = el("div"); wrap.append(box, label); $("#countries").append(wrap);
      }
      const reps = $("#replications");
      reps.max = meta.max_replications; reps.value = wanted.replications || meta.replications;
      $("#replications-meta").textContent = "1 to " + meta.max_replications + "; baseline " + meta.replications;
      reps.addEventListener("input", schedule);
      meta.controls.forEach((c, i) => {
        const box = el("div", {class: "control", id: "control-" + i});
        const numberId = "value-" + i;
        const label = el("label", {for: numberId}, c.label);
        const range = el("input", {type: "range", min: c.low, max: c.high, step: c.step, "aria-label": c.label + " (slider)"});
        const number = el("input", {type: "number", id: numberId, min: c.low, max: c.high, step: "any",
                                    "aria-describedby": "meta-" + i});
        const start = wanted.settings[c.path] !== undefined ? wanted.settings[c.path] : c.baseline;
        range.value = start; number.value = start;
        const reset = el("button", {type: "button", "aria-label": "Reset " + c.label + " to its baseline"}, "baseline");
        const row = el("div", {class: "row"}); row.append(range, number, reset);
        const info = el("div", {class: "meta", id: "meta-" + i},
          (c.unit ? c.unit + "; " : "") + "range " + num(c.low) + " to " + num(c.high) + "; baseline " + num(c.baseline) + " (" + c.path + ")");
        box.append(label, row, info);
        if (c.note) box.append(el("p", {class: "note"}, c.note));
        range.addEventListener("input", () => { number.value = range.value; changed(); });
        number.addEventListener("input", () => { if (number.value !== "") range.value = number.value; changed(); });
        reset.addEventListener("click", () => { number.value = c.baseline; range.value = c.baseline; changed(); });
        $("#parameters").append(box);
        inputs.set(c.path, {box, range, number, control: c});
      });
      if (!meta.controls.length) $("#parameters").append(el("p", {class: "small"}, "No controls: the scenario sets none of the default paths."));
      $("#reset").addEventListener("click", () => {
        for (const {range, number, control} of inputs.values()) { range.value = control.baseline; number.value = control.baseline; }
        changed();
      });
      mark();
    }

    function mark() {
      for (const {box, number, control} of inputs.values()) {
        box.classList.toggle("changed", number.value !== "" && Number(number.value) !== control.baseline);
        number.removeAttribute("aria-invalid");
      }
    }
    function changed() { mark(); schedule(); }

    function schedule() {
      const q = query(current());
      history.replaceState(null, "", q ? "?" + q : location.pathname);
      $("#dl-overlay").href = "/api/overlay.yaml?" + q;
      $("#dl-summary").href = "/api/csv/summary?" + q;
      $("#dl-difference").href = "/api/csv/difference?" + q;
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    }

    async function run() {
      if (controller) controller.abort();
      controller = new AbortController();
      const mine = ++sequence, state = current();
      $("#status").textContent = "Running " + state.replications + " paired replications…";
      document.body.setAttribute("aria-busy", "true");
      try {
        const response = await fetch("/api/run", {method: "POST", headers: {"Content-Type": "application/json"},
                                                   body: JSON.stringify(state), signal: controller.signal});
        const body = await response.json();
        if (mine !== sequence) return;
        if (response.status === 503) {
          // The superseded run still holds this client's turn: ask again shortly.
          $("#status").textContent = "Server busy (" + body.error + "); retrying…";
          setTimeout(() => { if (mine === sequence) run(); }, 300);
          return;
        }
        document.body.removeAttribute("aria-busy");
        if (!response.ok) { showError(body); return; }
        $("#error").hidden = true;
        mark();
        render(body);
        $("#status").textContent = "Done: " + body.replications + " paired replications in " + body.seconds.toFixed(2) + " s" +
          (body.warnings.length ? ". " + body.warnings.join("; ") : ".");
      } catch (e) {
        if (e.name === "AbortError") return;
        document.body.removeAttribute("aria-busy");
        showError({error: "request failed: " + e.message, path: ""});
      }
    }

    function showError(body) {
      $("#error").hidden = false;
      $("#error").textContent = body.error;
      $("#status").textContent = "Not run: see the message.";
      const hit = inputs.get(body.path);
      if (hit) hit.number.setAttribute("aria-invalid", "true");
    }

    function render(body) {
      const tbody = $("#whole-run tbody");
      tbody.replaceChildren();
      for (const r of body.whole_run) {
        const tr = el("tr");
        const rel = r.relative_change === null ? "" : " (" + (r.relative_change >= 0 ? "+" : "") + (100 * r.relative_change).toFixed(1) + "%)";
        tr.append(el("td", {}, r.country), el("td", {title: r.unit}, r.title),
                  el("td", {class: "num"}, num(r.baseline_mean)), el("td", {class: "num"}, num(r.variant_mean)),
                  el("td", {class: "num"}, num(r.difference_mean) + rel),
                  el("td", {class: "num"}, num(r.difference_p05) + " to " + num(r.difference_p95) + (r.interval_contains_zero ? " (contains 0)" : "")));
        tbody.append(tr);
      }
      const events = $("#events");
      events.replaceChildren(...body.events.map((e) => el("li", {}, e.date + " " + e.label)));
      const charts = $("#charts");
      charts.replaceChildren();
      for (const c of body.countries) {
        const section = el("section", {class: "country"});
        section.append(el("h3", {}, c.code === c.name ? c.code : (c.code.startsWith("ALL") ? c.name : c.code + " — " + c.name)));
        const grid = el("div", {class: "grid"});
        for (const p of c.charts) {
          for (const [svg, suffix] of [[p.levels_svg, ""], [p.difference_svg, ": variant − baseline"]]) {
            const figure = el("figure");
            const caption = el("figcaption");
            caption.append(el("strong", {}, p.title + suffix), el("span", {class: "unit"}, " " + p.unit));
            const holder = el("div"); holder.innerHTML = svg;   // server-drawn SVG, text escaped by Plot
            figure.append(caption, holder.firstElementChild);
            if (p.note && !suffix) figure.append(el("p", {class: "small"}, p.note));
            deportsimCharts.addButtons(figure, c.code + "-" + p.metric + (suffix ? "-difference" : ""));
            grid.append(figure);
          }
        }
        section.append(grid); charts.append(section);
      }
    }

    fetch("/api/controls").then((r) => r.json()).then((m) => { meta = m; build(); schedule(); })
      .catch((e) => showError({error: "cannot load the controls: " + e.message, path: ""}));
    </script>
    </body></html>
    """
}
