"""Benchmark: the showcase generator against `mkdocs build`, on synthetic exhibitions.

    .venv/bin/python bench/run.py [--sizes 100,1000] [--repeat 3] [--profile 1000] [--longest]
    .venv/bin/python bench/run.py --media [--photos 24] [--repeat 3]   (see bench/media.py)
    .venv/bin/python bench/run.py --site [--sizes 1000,5000]   (`showcase site`: cold,
        no-op, one edit; generator / MkDocs / Pagefind, peak RSS; see bench/sitebench.py;
        then Hugo on the same pages, cold and after the one edit, when the `bench` extra
        is installed: see bench/hugo.py)

For each size N (N workers, N/5 studios) a synthetic repository root is written to a
temporary folder, then measured:

- generator cold: `showcase.build.build(root)` on the fresh tree, in a child process that
  has already imported the package (so imports are not timed), with files written;
- no-op rerun: the same build again, which must write nothing (checked on disk too);
- mkdocs: `python -m mkdocs build --strict` on the generated docs, without -q (in MkDocs 1.6
  -q raises the log level above WARNING, so strict mode would not see warnings);
- with --repeat R, each measurement R times on a fresh docs tree; the fastest is shown
  (the machine may be shared), the worst no-op, warning and memory figures;
- with --longest, every text value of every profile is at its field's maximum length
  (bio and description 20,000 characters, names 30, …): time and memory must stay linear;
- optionally, cProfile of one more cold build (not the timed one), top functions printed;
- peak memory: the child's own ru_maxrss (RUSAGE_SELF) for the generator, and the
  mkdocs process's ru_maxrss from os.wait4 (per child; RUSAGE_CHILDREN would report the
  largest of all children so far, including the generator child).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from synthetic import make_exhibition

CHILD_FLAG = "--child"
MEDIA_FLAG = "--media"
SITE_FLAG = "--site"
STUDIO_RATIO = 5  # one studio for every five workers
TOP_FUNCTIONS = 10


@dataclass
class GeneratorRun:
    cold_s: float
    cold_written: int
    docs_files: int
    noop_s: float
    noop_written: int
    noop_changed_on_disk: int
    peak_mib: float


@dataclass
class MkdocsRun:
    seconds: float
    exit_code: int
    warnings: int
    peak_mib: float
    log_tail: str


@dataclass
class Row:
    workers: int
    studios: int
    synth_s: float
    gen: GeneratorRun
    mk: MkdocsRun


# --- child process: the generator, measured in isolation --------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Identity of every file: an atomic rewrite changes the inode, a write the mtime."""
    out = {}
    for path in folder.rglob("*") if folder.is_dir() else ():
        if path.is_file():
            st = path.stat()
            out[path.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> int:
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def timed_build(root: Path, profile_to: Path | None = None) -> tuple[float, Any]:
    from showcase.build import build

    profiler = cProfile.Profile() if profile_to else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = build(root)
    if profiler and profile_to:
        profiler.disable()
        profiler.dump_stats(profile_to)
    seconds = time.perf_counter() - start
    if result.problems or result.report is None:
        sys.exit("synthetic exhibition did not build:\n" + result.problems.report())
    return seconds, result.report


def child(root: Path, profile_to: Path | None) -> None:
    """Cold build, then a no-op rebuild; prints one JSON object."""
    import showcase.build  # noqa: F401  (warm-up import, not timed)

    cold_s, cold = timed_build(root, profile_to)
    before = snapshot(root / "build")
    noop_s, noop = timed_build(root)
    after = snapshot(root / "build")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = GeneratorRun(
        cold_s=cold_s,
        cold_written=len(cold.written),
        docs_files=len(cold.written) + cold.unchanged,
        noop_s=noop_s,
        noop_written=len(noop.written) + len(noop.deleted),
        noop_changed_on_disk=changed(before, after),
        peak_mib=peak_kib / 1024,
    )
    print(json.dumps(asdict(run)))


# --- parent process ----------------------------------------------------------------------


def child_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def measure_generator(root: Path, profile_to: Path | None) -> GeneratorRun:
    cmd = [sys.executable, str(Path(__file__).resolve()), CHILD_FLAG, str(root)]
    if profile_to:
        cmd.append(str(profile_to))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=root)
    if proc.returncode != 0:
        sys.exit(f"generator failed ({proc.returncode}):\n{proc.stderr}")
    return GeneratorRun(**json.loads(proc.stdout.strip().splitlines()[-1]))


def measure_mkdocs(root: Path, site: Path) -> MkdocsRun:
    """`mkdocs build --strict`, timed, with its own peak RSS from wait4."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")]
    cmd += ["-d", str(site)]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, env=child_env(), stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    warnings = sum(1 for line in output.splitlines() if "WARNING" in line)
    tail = "\n".join(output.splitlines()[-15:])
    return MkdocsRun(seconds, proc.returncode, warnings, usage.ru_maxrss / 1024, tail)


def best_generator(runs: list[GeneratorRun]) -> GeneratorRun:
    """Fastest times, worst no-op and memory figures over repeated runs."""
    return GeneratorRun(
        cold_s=min(r.cold_s for r in runs),
        cold_written=runs[0].cold_written,
        docs_files=runs[0].docs_files,
        noop_s=min(r.noop_s for r in runs),
        noop_written=max(r.noop_written for r in runs),
        noop_changed_on_disk=max(r.noop_changed_on_disk for r in runs),
        peak_mib=max(r.peak_mib for r in runs),
    )


def best_mkdocs(runs: list[MkdocsRun]) -> MkdocsRun:
    failed = next((r for r in runs if r.exit_code or r.warnings), runs[0])
    return MkdocsRun(
        seconds=min(r.seconds for r in runs),
        exit_code=failed.exit_code,
        warnings=failed.warnings,
        peak_mib=max(r.peak_mib for r in runs),
        log_tail=failed.log_tail,
    )


def measure(n: int, repeat: int, profile_to: Path | None, longest: bool = False) -> Row:
    studios = max(n // STUDIO_RATIO, 1)
    with tempfile.TemporaryDirectory(prefix=f"showcase-bench-{n}-") as tmp:
        root = Path(tmp) / "root"
        start = time.perf_counter()
        make_exhibition(root, n, studios, longest_text=longest)
        synth_s = time.perf_counter() - start
        gens, mks = [], []
        for _ in range(repeat):
            shutil.rmtree(root / "build", ignore_errors=True)  # every cold run starts fresh
            gens.append(measure_generator(root, None))
            mks.append(measure_mkdocs(root, Path(tmp) / "site"))
        if profile_to:  # a separate cold run: profiling overhead stays out of the table
            shutil.rmtree(root / "build")
            measure_generator(root, profile_to)
    return Row(n, studios, synth_s, best_generator(gens), best_mkdocs(mks))


# --- report ------------------------------------------------------------------------------

HEADER = (
    "| workers | studios | docs files | generator cold (s) | files written "
    "| no-op (s) | no-op written | mkdocs build (s) | mkdocs exit / warnings "
    "| generator / mkdocs | generator peak (MiB) | mkdocs peak (MiB) |"
)


def table_row(r: Row) -> str:
    g, m = r.gen, r.mk
    ratio = 100 * g.cold_s / m.seconds if m.seconds else float("nan")
    noop = f"{g.noop_written} ({g.noop_changed_on_disk} on disk)"
    cells = [
        f"{r.workers}",
        f"{r.studios}",
        f"{g.docs_files}",
        f"{g.cold_s:.2f}",
        f"{g.cold_written}",
        f"{g.noop_s:.2f}",
        noop,
        f"{m.seconds:.2f}",
        f"{m.exit_code} / {m.warnings}",
        f"{ratio:.0f} %",
        f"{g.peak_mib:.0f}",
        f"{m.peak_mib:.0f}",
    ]
    return "| " + " | ".join(cells) + " |"


def table(rows: list[Row]) -> str:
    rule = "|" + "|".join("---:" for _ in range(HEADER.count("|") - 1)) + "|"
    return "\n".join([HEADER, rule, *map(table_row, rows)])


def problems_of(rows: list[Row]) -> list[str]:
    """Everything that makes a row not a clean result."""
    out = []
    for r in rows:
        if r.gen.noop_written or r.gen.noop_changed_on_disk:
            out.append(f"N={r.workers}: the no-op rerun rewrote files")
        if r.mk.exit_code or r.mk.warnings:
            out.append(f"N={r.workers}: mkdocs exit {r.mk.exit_code}:\n{r.mk.log_tail}")
    return out


def top_functions(profile: Path) -> str:
    buf = io.StringIO()
    stats = pstats.Stats(str(profile), stream=buf)
    stats.strip_dirs().sort_stats("cumulative").print_stats(TOP_FUNCTIONS)
    return buf.getvalue()


# --- command line ------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated worker counts")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size; the table shows the fastest"
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="cProfile the cold build of size N"
    )
    parser.add_argument(
        "--longest",
        action="store_true",
        help="every text value at its field's maximum length (bio 20,000 characters …)",
    )
    parser.add_argument(
        SITE_FLAG,
        action="store_true",
        help="`showcase site` cold, no-op and after one edit (bench/sitebench.py)",
    )
    parser.add_argument(
        MEDIA_FLAG,
        action="store_true",
        help="run the media benchmark (bench/media.py) instead; the other options go to it",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == [CHILD_FLAG]:
        child(Path(argv[1]), Path(argv[2]) if len(argv) > 2 else None)
        return 0
    if MEDIA_FLAG in argv:  # bench/media.py parses the other options itself
        import media

        return media.main([a for a in argv if a != MEDIA_FLAG])
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.site:
        import hugo  # bench/hugo.py: Hugo on the same pages, rows under sitebench's table
        import sitebench

        code = sitebench.main(sizes)
        for r in hugo.rows(sizes) or []:
            print(sitebench.row(r))
        return code
    rows = []
    with tempfile.TemporaryDirectory(prefix="showcase-profile-") as tmp:
        profile = Path(tmp) / "build.prof"
        for n in sizes:
            rows.append(
                measure(n, args.repeat, profile if n == args.profile else None, args.longest)
            )
            print(
                f"N={n} done (synthetic data written in {rows[-1].synth_s:.1f} s)", file=sys.stderr
            )
        if args.longest:
            print("Every text value at its maximum length (--longest):\n")
        print(table(rows))
        if args.profile in sizes:
            print(f"\ncProfile, cold build, N={args.profile}:\n{top_functions(profile)}")
    problems = problems_of(rows)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
