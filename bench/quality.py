"""What readers get: Lighthouse scores, first-view bytes and axe-core on a built exhibition.

    .venv/bin/python bench/quality.py [--sizes 1000] [--pages /,workers/,…] [--runs 1]
                                      [--workdir build/quality] [--reuse] [--no-gzip]
                                      [--no-lighthouse]

For each size N a synthetic exhibition of N workers (N/5 studios, every worker with a
portrait; bench/synthetic.py) is written to <workdir>/n<N>/ with an entrance (the sample's
generated hero image, the first three workers featured), built with the real `showcase site`
and served from 127.0.0.1 by a ThreadingHTTPServer that gzips text (level 6) for clients
that accept it, as a static host or CDN would (--no-gzip serves the bytes as they are).

Pages: the entrance `/`, the gallery `workers/`, one worker and one studio page and, when
the site has curated halls (site/halls/), the first hall; --pages replaces the list.

1. Lighthouse 12.2.3 (npm; 13.x needs Node 22), installed on first use into
   <workdir>/node/ (git-ignored under build/), run with Debian's Chromium in its default
   mobile form factor (simulated slow 4G, 4x CPU slowdown) for the performance,
   accessibility, best-practices and SEO categories. With --runs R the run with the median
   performance score is kept. Reports are kept as <workdir>/n<N>/lighthouse/*.json and the
   audits that cost points are listed under the table. If Lighthouse cannot run (no Node,
   no npm, the install fails), the reason is printed and LCP, CLS, TBT and navigation
   timing come from Chromium's own PerformanceObserver instead (no scores, no throttling).
2. First-view bytes: the page in Chromium at 390x844 (device pixel ratio 3, touch) without
   scrolling, until the network is idle: every response counted as a gzip-serving host
   sends it (text gzipped at level 6, images, fonts and wasm as they are), split into
   HTML / CSS / JS / fonts / images / other; goal <= 300 KB. Requests that leave 127.0.0.1
   are listed (goal: none).
3. axe-core (axe-playwright-python) at 390 and 1280 px: serious and critical violations
   per page (goal: none).

Figures, not assertions: the exit status is 0 even when a goal is missed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, sync_playwright

from synthetic import REPO, make_exhibition, worker_slug

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
LIGHTHOUSE = "lighthouse@12.2.3"  # 13.x requires Node 22; this machine has Node 20
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MOBILE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
BUDGET_KB = 300
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
KINDS = ("HTML", "CSS", "JS", "fonts", "images", "other")


# --- the site ----------------------------------------------------------------------------


def build_site(root: Path, n: int, reuse: bool) -> tuple[Path, float]:
    site = root / "site"
    if reuse and (site / "index.html").is_file():
        return site, 0.0
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    make_exhibition(root, n, max(1, n // 5), photos=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "showcase", "--root", str(root), "site"]
    done = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"showcase site failed for N={n}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return site, time.perf_counter() - start


def default_pages(site: Path) -> list[str]:
    pages = ["", "workers/", f"workers/{worker_slug(1)}/", "studios/studio-0001/"]
    halls = site / "halls"
    if halls.is_dir():
        first = sorted(p.name for p in halls.iterdir() if (p / "index.html").is_file())
        if first:
            pages.append(f"halls/{first[0]}/")
    return pages


class Handler(SimpleHTTPRequestHandler):
    """Static files; text gzipped (level 6, cached) when the client accepts it."""

    gzip_text = True
    cache: ClassVar[dict[str, bytes]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.gzip_text and accepts and os.path.isfile(path) and is_text(ctype)):
            return super().send_head()
        with self.lock:
            body = self.cache.get(path)
            if body is None:
                body = self.cache[path] = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def is_text(ctype: str) -> bool:
    return ctype.startswith(TEXT_TYPES)


@contextmanager
def serve(site: Path, gzip_text: bool) -> Iterator[str]:
    handler_cls = type("SiteHandler", (Handler,), {"gzip_text": gzip_text, "cache": {}})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler_cls, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- Lighthouse --------------------------------------------------------------------------


@dataclass
class Scores:
    page: str
    scores: dict[str, float | None] = field(default_factory=dict)
    lcp_s: float | None = None
    cls: float | None = None
    tbt_ms: float | None = None
    fcp_s: float | None = None
    losses: list[str] = field(default_factory=list)  # audits that cost points
    note: str = ""


def lighthouse_bin(workdir: Path) -> tuple[Path | None, str]:
    """The lighthouse executable, installed on first use; or None and the reason."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "node or npm is not on PATH"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = int(version.lstrip("v").split(".")[0] or 0)
    if major < 18:
        return None, f"Lighthouse 12 needs Node >= 18, found {version}"
    prefix = workdir / "node"
    exe = prefix / "node_modules" / ".bin" / "lighthouse"
    if not exe.exists():
        print(f"installing {LIGHTHOUSE} into {prefix} …", file=sys.stderr, flush=True)
        prefix.mkdir(parents=True, exist_ok=True)
        cmd = [npm, "install", "--prefix", str(prefix), LIGHTHOUSE, "--no-audit", "--no-fund"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0 or not exe.exists():
            return None, f"`npm install {LIGHTHOUSE}` failed:\n{done.stderr[-2000:]}"
    return exe, ""


def lighthouse_once(exe: Path, url: str, out: Path) -> dict[str, Any]:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    cmd = [
        str(exe), url, "--quiet", "--output", "json", "--output-path", str(out),
        "--only-categories=" + ",".join(CATEGORIES), "--chrome-flags=" + " ".join(FLAGS),
    ]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse exit {done.returncode}: {done.stderr[-1500:]}")
    report = json.loads(out.read_text("utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error: {report['runtimeError']}")
    return report


def losses_of(report: dict[str, Any]) -> list[str]:
    """Audits below full marks that carry weight in a category, and opportunities."""
    audits, out = report["audits"], []
    for cid in CATEGORIES:
        for ref in report["categories"][cid]["auditRefs"]:
            a = audits[ref["id"]]
            score, mode = a.get("score"), a.get("scoreDisplayMode")
            if score is None or score >= 1 or mode in ("notApplicable", "manual", "informative"):
                continue
            if ref.get("weight", 0) == 0 and not a.get("details", {}).get("overallSavingsMs"):
                continue
            items = a.get("details", {}).get("items", [])
            what = "; ".join(describe(i) for i in items[:3])
            more = f" (+{len(items) - 3} more)" if len(items) > 3 else ""
            shown = f" {a['displayValue']}" if a.get("displayValue") else ""
            out.append(f"{cid}/{ref['id']} score {score:.2f}{shown}: {what}{more}".rstrip(": "))
    return out


def describe(item: dict[str, Any]) -> str:
    node = item.get("node") or {}
    if node:
        return node.get("selector") or node.get("snippet", "")[:80]
    url = item.get("url") or ""
    url = urlsplit(url).path if url.startswith("http") else url
    size = item.get("wastedBytes") or item.get("transferSize") or item.get("totalBytes")
    return f"{url} {size / 1024:.0f} KB" if url and size else url or json.dumps(item)[:80]


def lighthouse_page(exe: Path, base: str, page: str, out_dir: Path, runs: int) -> Scores:
    out_dir.mkdir(parents=True, exist_ok=True)
    name = page.strip("/").replace("/", "-") or "home"
    reports = []
    for r in range(runs):
        reports.append(lighthouse_once(exe, base + page, out_dir / f"{name}-{r + 1}.json"))
    reports.sort(key=lambda rep: rep["categories"]["performance"]["score"] or 0)
    report = reports[len(reports) // 2]
    audits = report["audits"]
    return Scores(
        page="/" + page,
        scores={c: report["categories"][c]["score"] for c in CATEGORIES},
        lcp_s=audits["largest-contentful-paint"]["numericValue"] / 1000,
        cls=audits["cumulative-layout-shift"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        fcp_s=audits["first-contentful-paint"]["numericValue"] / 1000,
        losses=losses_of(report),
    )


OBSERVE = """() => {
  window.__lcp = 0; window.__cls = 0; window.__tbt = 0;
  new PerformanceObserver(l => { for (const e of l.getEntries()) window.__lcp = e.startTime; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  new PerformanceObserver(l => { for (const e of l.getEntries())
      if (!e.hadRecentInput) window.__cls += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  new PerformanceObserver(l => { for (const e of l.getEntries())
      window.__tbt += Math.max(0, e.duration - 50); })
    .observe({type: 'longtask', buffered: true});
}"""
READ = """() => { const n = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {lcp: window.__lcp, cls: window.__cls, tbt: window.__tbt,
          fcp: fcp ? fcp.startTime : null, load: n.loadEventEnd}; }"""


def observed_page(browser: Browser, base: str, page: str, reason: str) -> Scores:
    """Chromium's own figures, unthrottled, for when Lighthouse cannot run."""
    context = browser.new_context(**MOBILE)
    tab = context.new_page()
    tab.add_init_script(f"({OBSERVE})()")
    tab.goto(base + page)
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(500)
    got = tab.evaluate(READ)
    context.close()
    return Scores(
        page="/" + page,
        lcp_s=got["lcp"] / 1000,
        cls=got["cls"],
        tbt_ms=got["tbt"],
        fcp_s=(got["fcp"] or 0) / 1000,
        note=f"Lighthouse not run ({reason}); Chromium PerformanceObserver, no throttling",
    )


SHIFTS = """() => { window.__shifts = [];
  new PerformanceObserver(l => { for (const e of l.getEntries()) window.__shifts.push(
    {t: e.startTime, v: e.value, src: (e.sources || []).map(s => { const n = s.node;
      const name = n && n.nodeType === 1 ? n.tagName.toLowerCase() + [...n.classList]
        .map(c => '.' + c).join('') : String(n && n.nodeName);
      return `${name} moved ${Math.round(s.currentRect.y - s.previousRect.y)} px`; })}); })
  .observe({type: 'layout-shift', buffered: true}); }"""


def shift_sources(browser: Browser, base: str, page: str) -> list[str]:
    """Lighthouse 12.2.3's own layout-shifts audit fails with this Chromium (its trace engine
    reads a missing frame_sequence): replay the page on Lighthouse's phone (412x823, DPR
    1.75, 150 ms RTT, 1.6 Mbit/s, CPU 4x slower) and name the elements that moved."""
    context = browser.new_context(
        viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True
    )
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    conditions = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8}
    cdp.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": 7.5e5 / 8})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    tab.add_init_script(f"({SHIFTS})()")
    tab.goto(base + page)
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(1000)
    shifts = tab.evaluate("window.__shifts")
    context.close()
    return [f"shift {s['v']:.3f} at {s['t'] / 1000:.1f} s: {', '.join(s['src'])}" for s in shifts]


# --- first-view bytes --------------------------------------------------------------------


@dataclass
class FirstView:
    page: str
    by_kind: dict[str, int]
    requests: int
    largest: list[tuple[int, str]]
    offsite: list[str]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def kind_of(resource_type: str, ctype: str, path: str) -> str:
    if resource_type == "document":
        return "HTML"
    if resource_type == "stylesheet" or ctype.startswith("text/css"):
        return "CSS"
    if resource_type == "script" or "javascript" in ctype:
        return "JS"
    if resource_type == "font" or ctype.startswith("font/") or path.endswith((".woff2", ".woff")):
        return "fonts"
    if resource_type == "image" or ctype.startswith("image/"):
        return "images"
    return "other"


def first_view(browser: Browser, base: str, page: str) -> FirstView:
    context = browser.new_context(**MOBILE)
    tab = context.new_page()
    responses: list[Any] = []
    urls: list[str] = []
    tab.on("request", lambda r: urls.append(r.url))
    tab.on("requestfinished", lambda r: responses.append(r))
    tab.goto(base + page)
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(500)
    by_kind = dict.fromkeys(KINDS, 0)
    largest = []
    for request in list(responses):
        response = request.response()
        if response is None or not request.url.startswith(base):
            continue
        try:
            body = response.body()
        except Exception:  # a redirect has no body
            body = b""
        path = unquote(urlsplit(request.url).path)
        ctype = response.headers.get("content-type", "") or mimetypes.guess_type(path)[0] or ""
        sent = len(gzip.compress(body, 6)) if is_text(ctype) else len(body)
        kind = kind_of(request.resource_type, ctype, path)
        by_kind[kind] += sent
        largest.append((sent, f"{kind} {path}"))
    context.close()
    offsite = [u for u in urls if not u.startswith((base, "data:", "blob:", "about:"))]
    largest.sort(reverse=True)
    return FirstView("/" + page, by_kind, len(responses), largest[:5], offsite)


# --- axe-core ----------------------------------------------------------------------------


def axe_page(browser: Browser, base: str, page: str, width: int) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = MOBILE if width < 600 else {"viewport": {"width": width, "height": 900}}
    context = browser.new_context(**options)
    tab = context.new_page()
    tab.goto(base + page)
    tab.wait_for_load_state("networkidle")
    result = Axe().run(tab)
    context.close()
    return [
        f"{v['impact']} {v['id']} ×{len(v['nodes'])}: "
        f"{', '.join(str(n['target'][0]) for n in v['nodes'][:3])}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- report ------------------------------------------------------------------------------


def pct(score: float | None) -> str:
    return "–" if score is None else f"{round(score * 100)}"


def lighthouse_table(rows: list[Scores]) -> str:
    out = [
        "| page | Performance | Accessibility | Best Practices | SEO | FCP (s) | LCP (s) | CLS | TBT (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        s = r.scores
        cells = [r.page, *(pct(s.get(c)) for c in CATEGORIES)]
        cells += [f"{r.fcp_s:.1f}", f"{r.lcp_s:.1f}", f"{r.cls:.3f}", f"{r.tbt_ms:.0f}"]
        out.append("| " + " | ".join(cells) + " |")
    notes = {r.note for r in rows if r.note}
    out += [f"\n{n}" for n in notes]
    for r in rows:
        if r.losses:
            out.append(f"\n{r.page} loses points on:")
            out += [f"  - {loss}" for loss in r.losses]
    return "\n".join(out)


def bytes_table(rows: list[FirstView]) -> str:
    out = [
        "| page | requests | " + " | ".join(KINDS) + f" | total (goal ≤ {BUDGET_KB} KB) |",
        "|---|---:|" + "---:|" * len(KINDS) + "---:|",
    ]
    for r in rows:
        cells = [r.page, str(r.requests), *(f"{r.by_kind[k] / 1024:.1f}" for k in KINDS)]
        cells.append(f"{r.total / 1024:.1f}")
        out.append("| " + " | ".join(cells) + " |")
    out.append("\nKB = 1024 bytes as sent gzip -6 (images, fonts as they are). Largest:")
    for r in rows:
        biggest = ", ".join(f"{what} {size / 1024:.1f}" for size, what in r.largest)
        out.append(f"  - {r.page}: {biggest}")
    offsite = sorted({u for r in rows for u in r.offsite})
    out.append(f"\nRequests leaving 127.0.0.1: {len(offsite)}")
    out += [f"  - {u}" for u in offsite]
    return "\n".join(out)


def axe_table(rows: dict[str, dict[int, list[str]]]) -> str:
    widths = sorted({w for by_width in rows.values() for w in by_width})
    out = [
        "| page | " + " | ".join(f"serious/critical at {w} px" for w in widths) + " |",
        "|---|" + "---:|" * len(widths),
    ]
    for page, by_width in rows.items():
        out.append(f"| {page} | " + " | ".join(str(len(by_width[w])) for w in widths) + " |")
    for page, by_width in rows.items():
        for w in widths:
            out += [f"  - {page} @ {w} px: {v}" for v in by_width[w]]
    return "\n".join(out)


def missed(
    lh: list[Scores], fv: list[FirstView], axe: dict[str, dict[int, list[str]]]
) -> list[str]:
    out = []
    for r in lh:
        acc, perf = r.scores.get("accessibility"), r.scores.get("performance")
        if acc is not None and acc < 1:
            out.append(f"{r.page}: Lighthouse accessibility {pct(acc)} < 100")
        if perf is not None and perf < 0.9:
            out.append(f"{r.page}: Lighthouse performance {pct(perf)} < 90")
    for v in fv:
        if v.total > BUDGET_KB * 1024:
            out.append(f"{v.page}: first view {v.total / 1024:.0f} KB > {BUDGET_KB} KB")
        if v.offsite:
            out.append(f"{v.page}: {len(v.offsite)} requests leave 127.0.0.1")
    for page, by_width in axe.items():
        for w, found in by_width.items():
            if found:
                out.append(f"{page}: {len(found)} serious/critical axe rules at {w} px")
    return out


# --- command line ------------------------------------------------------------------------


def measure(n: int, args: argparse.Namespace, workdir: Path) -> str:
    root = workdir / f"n{n}"
    site, seconds = build_site(root, n, args.reuse)
    pages = [p.strip().lstrip("/") for p in args.pages.split(",")] if args.pages else None
    pages = pages or default_pages(site)
    built = f"built in {seconds:.0f} s" if seconds else "reused"
    print(f"N={n}: site {built}; pages {['/' + p for p in pages]}", file=sys.stderr, flush=True)
    exe, reason = (None, "--no-lighthouse") if args.no_lighthouse else lighthouse_bin(workdir)
    with serve(site, not args.no_gzip) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        lh = []
        for page in pages:
            if exe is not None:
                try:
                    lh.append(lighthouse_page(exe, base, page, root / "lighthouse", args.runs))
                    if (lh[-1].cls or 0) > 0.01:
                        lh[-1].losses += shift_sources(browser, base, page)
                    continue
                except (RuntimeError, subprocess.TimeoutExpired) as err:
                    exe, reason = None, f"Lighthouse failed on /{page}: {err}"
                    print(reason, file=sys.stderr)
            lh.append(observed_page(browser, base, page, reason))
        views = [first_view(browser, base, page) for page in pages if is_first_view(page)]
        axe = {
            "/" + page: {w: axe_page(browser, base, page, w) for w in (390, 1280)} for page in pages
        }
        browser.close()
    served = "gzip -6 on the fly" if not args.no_gzip else "uncompressed (--no-gzip)"
    goals = missed(lh, views, axe)
    return "\n\n".join(
        [
            f"## {n} workers, {max(1, n // 5)} studios (served {served})",
            "### Lighthouse 12.2.3, mobile\n\n" + lighthouse_table(lh),
            "### First-view bytes at 390×844 (DPR 3), no scrolling\n\n" + bytes_table(views),
            "### axe-core serious/critical violations\n\n" + axe_table(axe),
            "### Goals missed\n\n" + ("\n".join(f"- {g}" for g in goals) or "none"),
        ]
    )


def is_first_view(page: str) -> bool:
    """The pages a reader lands on from outside: the entrance, the gallery and halls."""
    return page in ("", "workers/") or page.startswith("halls/")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated worker counts")
    parser.add_argument("--pages", help="comma-separated site paths (default: see above)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument(
        "--workdir", type=Path, default=REPO / "build" / "quality", help="sites, node, reports"
    )
    parser.add_argument("--reuse", action="store_true", help="keep an already built site")
    parser.add_argument("--no-gzip", action="store_true", help="serve files uncompressed")
    parser.add_argument("--no-lighthouse", action="store_true", help="Chromium's figures only")
    args = parser.parse_args(argv)
    workdir = args.workdir.resolve()
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        print(measure(n, args, workdir), flush=True)
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
