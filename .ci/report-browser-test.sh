#!/usr/bin/env bash
# The report in a real browser (headless Chromium through the DevTools
# protocol, .ci/cdp.py). First a conformance scenario under a hostile name:
# its report must load to its end with its charts drawn, scenario text shown
# as text (no script but the report's own chart-save script, no img), no
# console error and a screenshot that is not blank. Then the reports of the
# shipped scenarios (run, and compare where they have targets), a diff and a
# sweep, each at a 1,200 px wide window: no table may be wider than its
# container (scrollWidth <= clientWidth), and a chart must save as SVG and
# PNG. Installs nothing: needs swift, chromium (Debian package `chromium`)
# and python3 on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "report-browser-test: chromium not on PATH (apt-get install -y chromium)" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build
tool=.build/debug/deportsim
scenario="$work/hostile.yaml"
# Names cannot hold '/', so the closing tag goes in the description.
sed -e 's/^name: .*/name: "<script>alert(1)"/' \
    -e 's/^description: .*/description: "<script>alert(3)<\/script> \& \\" quote"/' \
    -e 's/note: beds no longer binding/note: "<img src=x onerror=alert(2)> beds \& more"/' \
    Tests/Fixtures/conformance/conf-three.yaml > "$scenario"
$tool run "$scenario" -r 40 --out "$work/run" --write-flights --report > /dev/null
test -s "$work/run/report.html"

# The shipped scenarios' reports, few replications (the layout, not the numbers, is checked).
reports=()
for f in Scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    $tool run "$f" -r 4 --write-flights --out "$work/shipped/$name" --report > /dev/null 2>&1
    reports+=("$work/shipped/$name/report.html")
    if grep -q '^targets:' "$f"; then
        # compare exits 1 when a target fails; the report is written either way.
        $tool compare "$f" -r 4 --out "$work/shipped/$name-compare" --report > /dev/null 2>&1 || test $? -eq 1
        reports+=("$work/shipped/$name-compare/report.html")
    fi
done
$tool diff Scenarios/china-2024.yaml Scenarios/china-2024-cooperation-suspended-2025.yaml Scenarios/china-2024-charters-every-3-weeks.yaml \
    -r 4 --out "$work/shipped/diff" --report > /dev/null 2>&1
reports+=("$work/shipped/diff/report.html")
$tool sweep Scenarios/sweeps/china-2024-charter-interval.yaml --vary routes.china-charter.schedule.every_days=21,42 -r 3 \
    --out "$work/shipped/sweep" > /dev/null 2>&1
$tool report "$work/shipped/sweep" > /dev/null
reports+=("$work/shipped/sweep/report.html")
for r in "${reports[@]}"; do test -s "$r"; done

python3 - "$chromium" "$work" "$work/run/report.html" "${reports[@]}" <<'PY'
import json, re, struct, sys, zlib
sys.path.insert(0, ".ci")
from cdp import Browser, save_problems
chromium, work, hostile, shipped = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
browser = Browser(chromium, work, width=1200, height=3000)
problems = []

def load(path):
    browser.navigate("file://" + path)
    if not browser.wait_for("!!document.getElementById('report-end') && document.readyState === 'complete'", seconds=60):
        problems.append(f"{path}: page did not load to its end (no #report-end)")

# Tables wider than their container at this width: what would be cut off or scroll.
OVERFLOW = """JSON.stringify([...document.querySelectorAll('table')].filter(t => t.scrollWidth > t.parentElement.clientWidth)
  .map(t => ({head: (t.querySelector('tr') || t).textContent.slice(0, 80), scroll: t.scrollWidth, client: t.parentElement.clientWidth})))"""

load(hostile)
dom = browser.js("document.documentElement.outerHTML")
svgs = dom.count("<svg")
drawn = len(re.findall(r' d="M[0-9]', dom))
if svgs < 20: problems.append(f"expected at least 20 charts, found {svgs}")
if drawn < 100: problems.append(f"expected at least 100 drawn paths, found {drawn}")
scripts = browser.js("[...document.scripts].map(s => s.id)")
if scripts != ["chart-save"] or "<img" in dom: problems.append(f"scenario text became markup (scripts {scripts}, or an img element in the DOM)")
if "&lt;script&gt;alert(1)" not in dom or "&lt;script&gt;alert(3)&lt;/script&gt;" not in dom:
    problems.append("hostile scenario name or description not shown as text")
if "Route caribbean" not in dom: problems.append("no flight timeline")
buttons = browser.js("document.querySelectorAll('figure button.save').length")
if buttons != 2 * browser.js("document.querySelectorAll('figure svg.chart').length"): problems.append(f"not every chart has its two save buttons ({buttons} buttons)")
problems += save_problems(browser, "hostile report")
browser.call("Emulation.setDeviceMetricsOverride", {"width": 1200, "height": 3000, "deviceScaleFactor": 1, "mobile": False})
png = browser.screenshot({"x": 0, "y": 0, "width": 1200, "height": 3000, "scale": 1})

# Decode the PNG (8-bit RGB/RGBA, as Chromium writes) and count distinct grey levels.
data = png
assert data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT": idat += body
channels = {2: 3, 6: 4}[ctype]
raw, stride, prev, rows = zlib.decompress(idat), width * channels, bytearray(width * channels), []
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0; b = prev[i]; c = prev[i - channels] if i >= channels else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
dark = sum(1 for line in rows[::4] for i in range(0, stride, channels * 4) if line[i] < 128)
levels = len({line[i] for line in rows[::8] for i in range(0, stride, channels * 8)})
if dark < 2000 or levels < 8: problems.append(f"screenshot looks blank: {dark} dark samples, {levels} grey levels")
overflow = json.loads(browser.js(OVERFLOW))
if overflow: problems.append(f"hostile report: tables wider than their container at 1200 px: {overflow}")

tables = 0
for path in shipped:
    load(path)
    name = path.split("/")[-2]
    tables += browser.js("document.querySelectorAll('table').length")
    overflow = json.loads(browser.js(OVERFLOW))
    if overflow: problems.append(f"{name}: tables wider than their container at 1200 px: {overflow}")
    problems += save_problems(browser, name)
for line in browser.console: problems.append("browser: " + line)
browser.close()
print(f"report-browser-test: {svgs} charts, {drawn} drawn paths, {dark} dark samples, {levels} grey levels in the screenshot; "
      f"{len(shipped)} shipped reports, {tables} tables checked at 1200 px")
if problems:
    print("\n".join("FAIL: " + p for p in problems), file=sys.stderr); sys.exit(1)
print("report-browser-test: ok")
PY
