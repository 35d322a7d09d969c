import Foundation

/// Saving one chart from the browser, for the report and the explorer
/// alike: "Save SVG" and "Save PNG" buttons under each chart. The SVG file
/// is the chart as drawn, with `Chart.stylesheet` inside it so it looks the
/// same on its own; the PNG is that SVG drawn on a canvas at twice its size
/// (no converter needed). The script is static: it reads no data from the
/// scenario and fetches nothing.
public enum ChartSave {
    /// The script's text (for a `<script>` element). It defines
    /// `deportsimCharts.addButtons(figure, fileName)`; on a page whose
    /// script element has `data-save="all"` (the report) it adds the
    /// buttons to every figure holding a chart.
    public static var script: String {
        // The style sheet goes in as a JSON string literal: any quote or
        // backslash in it is escaped, never ends the script's string.
        let style = String(decoding: try! JSONEncoder().encode(Chart.stylesheet), as: UTF8.self)
        return """
        (() => {
          "use strict";
          const chartStyle = \(style);
          const svgNS = "http://www.w3.org/2000/svg";
          // The chart as a standalone SVG file: its own size and style sheet.
          function svgText(svg) {
            const copy = svg.cloneNode(true), box = svg.viewBox.baseVal;
            copy.setAttribute("xmlns", svgNS);
            copy.setAttribute("width", String(box.width));
            copy.setAttribute("height", String(box.height));
            const style = document.createElementNS(svgNS, "style");
            style.textContent = chartStyle;
            copy.insertBefore(style, copy.firstChild);
            return '<?xml version="1.0" encoding="UTF-8"?>\\n' + new XMLSerializer().serializeToString(copy);
          }
          // The same drawn on a white canvas at twice the size, as a PNG blob.
          function pngBlob(svg, done) {
            const box = svg.viewBox.baseVal, scale = 2, image = new Image();
            image.onload = () => {
              const canvas = document.createElement("canvas");
              canvas.width = box.width * scale; canvas.height = box.height * scale;
              const g = canvas.getContext("2d");
              g.fillStyle = "#ffffff"; g.fillRect(0, 0, canvas.width, canvas.height);
              g.drawImage(image, 0, 0, canvas.width, canvas.height);
              canvas.toBlob(done, "image/png");
            };
            image.onerror = () => done(null);
            image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText(svg));
          }
          function download(blob, name) {
            if (!blob) return;
            const a = document.createElement("a");
            a.href = URL.createObjectURL(blob); a.download = name;
            document.body.append(a); a.click(); a.remove();
            setTimeout(() => URL.revokeObjectURL(a.href), 1000);
          }
          // A file name from the figure's caption: letters, digits and dashes.
          function fileName(figure) {
            const title = (figure.querySelector("figcaption strong") || {}).textContent || "chart";
            return title.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "chart";
          }
          function addButtons(figure, name) {
            const svg = figure.querySelector("svg.chart");
            if (!svg) return;
            const title = (figure.querySelector("figcaption strong") || {}).textContent || "chart";
            const row = document.createElement("div");
            row.className = "save-row";
            for (const kind of ["SVG", "PNG"]) {
              const b = document.createElement("button");
              b.type = "button"; b.className = "save"; b.textContent = "Save " + kind;
              b.setAttribute("aria-label", "Save the chart " + title + " as " + kind);
              b.addEventListener("click", () => kind === "SVG"
                ? download(new Blob([svgText(svg)], {type: "image/svg+xml"}), name + ".svg")
                : pngBlob(svg, (blob) => download(blob, name + ".png")));
              row.append(b);
            }
            figure.append(row);
          }
          window.deportsimCharts = {svgText, pngBlob, addButtons, fileName};
          const me = document.currentScript;
          if (me && me.dataset.save === "all") {
            const used = new Map();
            for (const figure of document.querySelectorAll("figure")) {
              const base = fileName(figure), n = (used.get(base) || 0) + 1;
              used.set(base, n);
              addButtons(figure, n > 1 ? base + "-" + n : base);
            }
          }
        })();
        """
    }
}
