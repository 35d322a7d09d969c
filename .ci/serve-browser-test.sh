#!/usr/bin/env bash
# The explorer in a real browser: starts `deportsim serve` on a free port,
# drives headless Chromium through the DevTools protocol (.ci/cdp.py, over
# --remote-debugging-pipe, so python3's standard library is enough), loads
# the page, moves a control and checks that the charts and the whole-run
# difference table change, that the settings reach the URL, that a chart
# saves as SVG and PNG, and that the console shows no error. With
# SCREENSHOT=path it also saves a screenshot.
# Installs nothing: needs swift, chromium (Debian package) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "serve-browser-test: chromium not on PATH (apt-get install -y chromium)" >&2
    exit 1
fi
work=$(mktemp -d)
server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

swift build
.build/debug/deportsim serve Scenarios/china-2024.yaml --port 0 > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
for _ in $(seq 1 600); do grep -q '^serving ' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(head -1 "$work/serve.out" | sed -n 's/^serving //p')
test -n "$url" || { echo "serve-browser-test: server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }

python3 - "$chromium" "$url" "$work" "${SCREENSHOT:-}" <<'PY'
import json, sys, time
sys.path.insert(0, ".ci")
from cdp import Browser, save_problems
chromium, url, work, screenshot = sys.argv[1:5]
browser = Browser(chromium, work, width=1200, height=1000)
js, wait_for, problems = browser.js, browser.wait_for, []
browser.navigate(url)

state = "JSON.stringify({rows: [...document.querySelectorAll('#whole-run tbody tr')].map(r => r.textContent), charts: document.querySelectorAll('#charts svg').length, paths: [...document.querySelectorAll('#charts svg path.series')].map(p => p.getAttribute('d')).join('|'), status: document.querySelector('#status').textContent})"
if not wait_for("document.querySelectorAll('#whole-run tbody tr').length > 0 && document.querySelector('#status').textContent.startsWith('Done')"):
    problems.append("the first run never finished: " + js(state)[:300])
before = json.loads(js(state))
if before["charts"] < 10: problems.append(f"expected at least 10 charts, found {before['charts']}")
# Move the beds control as a user would: the slider's value, then an input event.
moved = js("""(() => { const c = [...document.querySelectorAll('.control')].find(b => b.textContent.includes('capacity.detention_beds'));
  if (!c) return false; const r = c.querySelector('input[type=range]'); r.focus(); r.value = String(Number(r.max) * 0.2);
  r.dispatchEvent(new Event('input', {bubbles: true})); return r.value; })()""")
if not moved: problems.append("no detention-beds control on the page")
if not wait_for(f"(() => {{ const s = {state}; return JSON.parse(s).paths !== {json.dumps(before['paths'])} && document.querySelector('#status').textContent.startsWith('Done'); }})()"):
    problems.append("the charts did not change after moving a control")
after = json.loads(js(state))
if after["rows"] == before["rows"]: problems.append("the whole-run difference table did not change")
search = js("location.search")
if "capacity.detention_beds=" not in search: problems.append(f"the setting is not in the URL: {search!r}")
# A bad value is shown inline, with the CLI's message.
js("""(() => { const c = [...document.querySelectorAll('.control')].find(b => b.textContent.includes('capacity.detention_beds'));
  const n = c.querySelector('input[type=number]'); n.value = '-3'; n.dispatchEvent(new Event('input', {bubbles: true})); })()""")
if not wait_for("!document.querySelector('#error').hidden && document.querySelector('#error').textContent.includes('capacity.detention_beds')"):
    problems.append("an invalid value did not show the located message")
# The 400 of the invalid value is expected; Chromium logs failed fetches as errors, so drop that one entry.
console = [c for c in browser.console if "400" not in c and "Bad Request" not in c]
js("""(() => { const c = [...document.querySelectorAll('.control')].find(b => b.textContent.includes('capacity.detention_beds'));
  const r = c.querySelector('input[type=range]'); r.value = String(Number(r.max) * 0.2); r.dispatchEvent(new Event('input', {bubbles: true})); })()""")
wait_for("document.querySelector('#error').hidden && document.querySelector('#status').textContent.startsWith('Done')")
problems += save_problems(browser, "explorer")
if screenshot:
    js("document.activeElement.blur(); window.scrollTo(0, 0)"); time.sleep(0.5)
    open(screenshot, "wb").write(browser.screenshot({"x": 0, "y": 0, "width": 1200, "height": 1000, "scale": 0.75}))
problems += ["browser " + c for c in console]
browser.close()
print(f"serve-browser-test: {after['charts']} charts, {len(after['rows'])} table rows, URL {search[:80]}")
if problems:
    print("\n".join("FAIL: " + p for p in problems), file=sys.stderr); sys.exit(1)
print("serve-browser-test: ok")
PY
