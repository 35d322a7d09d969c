"""Headless Chromium driven through the DevTools protocol over
--remote-debugging-pipe, with python3's standard library only: open a page
at a given viewport, evaluate JavaScript, wait for a condition, collect
console errors and take screenshots. Used by serve-browser-test.sh and
report-browser-test.sh."""
import json, os, subprocess, time


class Browser:
    def __init__(self, chromium, work, width=1200, height=1000):
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()

        def child_fds():
            os.dup2(to_r, 3); os.dup2(from_w, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--remote-debugging-pipe",
             f"--user-data-dir={work}/profile", "--no-first-run", "about:blank"],
            pass_fds=(3, 4), preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=open(f"{work}/chromium.log", "w"))
        os.close(to_r); os.close(from_w)
        self.out, self.inbox = os.fdopen(to_w, "wb", buffering=0), os.fdopen(from_r, "rb", buffering=0)
        self.pending, self.next_id, self.session = b"", 0, None
        # Exceptions, console.error calls and error log entries, as text.
        self.console = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for m in ("Runtime.enable", "Log.enable", "Page.enable"): self.call(m)
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def read_message(self):
        while b"\0" not in self.pending:
            chunk = self.inbox.read(65536)
            if not chunk: raise SystemExit("chromium closed the pipe")
            self.pending += chunk
        raw, self.pending = self.pending.split(b"\0", 1)
        return json.loads(raw)

    def note(self, msg):
        m, p = msg.get("method"), msg.get("params", {})
        if m == "Runtime.exceptionThrown": self.console.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"): self.console.append("console.error: " + json.dumps(p.get("args"))[:300])
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error": self.console.append("log: " + p["entry"].get("text", "")[:300])

    def call(self, method, params=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session: msg["sessionId"] = self.session
        self.out.write(json.dumps(msg).encode() + b"\0")
        while True:
            reply = self.read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply: raise SystemExit(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.note(reply)

    def navigate(self, url):
        self.call("Page.navigate", {"url": url})

    def js(self, expression, await_promise=False):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise})
        if "exceptionDetails" in r: raise SystemExit("evaluate failed: " + json.dumps(r["exceptionDetails"])[:300])
        return r["result"].get("value")

    def wait_for(self, expression, seconds=90):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.js(expression): return True
            time.sleep(0.2)
        return False

    def screenshot(self, clip=None):
        import base64
        params = {"format": "png", "captureBeyondViewport": clip is not None}
        if clip: params["clip"] = clip
        return base64.b64decode(self.call("Page.captureScreenshot", params)["data"])

    def close(self):
        self.call("Browser.close")
        self.proc.wait(timeout=20)


# Saves the first chart on the page as its buttons would (window.deportsimCharts,
# from DeportSimReport's ChartSave), without the download: the SVG text must
# parse as an SVG carrying its style sheet, the PNG must decode at twice the
# chart's width.
SAVE_CHECK = """(async () => {
  const figure = [...document.querySelectorAll('figure')].find(f => f.querySelector('svg.chart'));
  if (!figure || !window.deportsimCharts) return {error: 'no chart or no deportsimCharts'};
  const svg = figure.querySelector('svg.chart'), text = deportsimCharts.svgText(svg);
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svgOk = !doc.querySelector('parsererror') && doc.documentElement.localName === 'svg' && !!doc.querySelector('style');
  const blob = await new Promise(done => deportsimCharts.pngBlob(svg, done));
  const width = blob ? (await createImageBitmap(blob)).width : 0;
  return {svgOk, png: blob ? blob.size : 0, width, expected: 2 * svg.viewBox.baseVal.width,
          buttons: figure.querySelectorAll('button.save').length};
})()"""


def save_problems(browser, where):
    r = browser.js(SAVE_CHECK, await_promise=True)
    if "error" in r: return [f"{where}: {r['error']}"]
    problems = []
    if not r["svgOk"]: problems.append(f"{where}: the saved SVG does not parse as an SVG with its style sheet")
    if r["png"] < 2000 or r["width"] != r["expected"]: problems.append(f"{where}: the saved PNG is {r['png']} bytes, {r['width']} px wide (expected {r['expected']})")
    if r["buttons"] != 2: problems.append(f"{where}: expected Save SVG and Save PNG buttons under a chart, found {r['buttons']}")
    return problems
