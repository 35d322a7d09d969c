#!/usr/bin/env bash
# The report in a real browser: runs a conformance scenario under a
# hostile name, renders its report, loads it in headless Chromium and checks
# the DOM after load (charts present and drawn, no script element, page
# complete, no console errors) and that the screenshot is not blank.
# Installs nothing: needs swift, chromium (Debian package `chromium`) and
# python3 on PATH.
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
scenario="$work/hostile.yaml"
# Names cannot hold '/', so the closing tag goes in the description.
sed -e 's/^name: .*/name: "<script>alert(1)"/' \
    -e 's/^description: .*/description: "<script>alert(3)<\/script> \& \\" quote"/' \
    -e 's/note: beds no longer binding/note: "<img src=x onerror=alert(2)> beds \& more"/' \
    Tests/Fixtures/conformance/conf-three.yaml > "$scenario"
.build/debug/deportsim run "$scenario" -r 40 --out "$work/run" --write-flights --report
report="$work/run/report.html"
test -s "$report"

flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
"$chromium" "${flags[@]}" --dump-dom "file://$report" > "$work/dom.html" 2> "$work/dom.log"
"$chromium" "${flags[@]}" --screenshot="$work/report.png" --window-size=1200,3000 "file://$report" > /dev/null 2> "$work/shot.log"

python3 - "$work/dom.html" "$work/dom.log" "$work/report.png" <<'PY'
import re, struct, sys, zlib
dom = open(sys.argv[1], encoding="utf-8").read()
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
problems = []
svgs = dom.count("<svg")
drawn = len(re.findall(r' d="M[0-9]', dom))
if 'id="report-end"' not in dom: problems.append("page did not load to its end (no #report-end)")
if svgs < 20: problems.append(f"expected at least 20 charts, found {svgs}")
if drawn < 100: problems.append(f"expected at least 100 drawn paths, found {drawn}")
if "<script" in dom or "<img" in dom: problems.append("scenario text became markup (script or img element in the DOM)")
if "&lt;script&gt;alert(1)" not in dom or "&lt;script&gt;alert(3)&lt;/script&gt;" not in dom:
    problems.append("hostile scenario name or description not shown as text")
if "Route caribbean" not in dom: problems.append("no flight timeline")
for line in log.splitlines():
    if "CONSOLE" in line or "Uncaught" in line or "Failed to load" in line: problems.append("browser: " + line)

# Decode the PNG (8-bit RGB/RGBA, as Chromium writes) and count distinct grey levels.
data = open(sys.argv[3], "rb").read()
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
print(f"report-browser-test: {svgs} charts, {drawn} drawn paths, {dark} dark samples, {levels} grey levels in the screenshot")
if problems:
    print("\n".join("FAIL: " + p for p in problems), file=sys.stderr); sys.exit(1)
print("report-browser-test: ok")
PY
