"""The figures, the ratios and their verdicts, as one table; and the profile's phases."""

from __future__ import annotations

from collections.abc import Callable

from .children import PHASES
from .comparisons import TARGETS
from .runner import Info, Sample, Spec, median

WIDTH = 108


def row(label: str, n: str, samples: list[Sample], note: str = "") -> str:
    wall = median([s.wall for s in samples])
    cpu = median([s.cpu for s in samples])
    rss = median([s.rss_kib for s in samples]) / 1024
    sizes = [s.size for s in samples if s.size is not None]
    size = f"{median(sizes) / 2**20:9.1f}" if sizes else f"{'':9}"
    return (
        f"{label:<54} {n:>5} {wall:9.2f} {cpu:8.2f} {rss:9.0f} {size} "
        f"{len(samples):>4}{'  ' + note if note else ''}"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _get(specs: list[Spec], key: str) -> Spec | None:
    return next((s for s in specs if s.key == key), None)


def _ratio(a: Spec, b: Spec, attr: str = "wall") -> float:
    values_a = [getattr(s, attr) for s in a.samples]
    values_b = [getattr(s, attr) for s in b.samples]
    return median(values_a) / median(values_b)


def _target(
    label: str, a: Spec | None, b: Spec | None, ok: Callable[[float], bool], goal: str
) -> str | None:
    if a is None or b is None:
        return None
    wall, cpu = _ratio(a, b), _ratio(a, b, "cpu")
    return f"{label:<50} {wall:7.2f}×  ({cpu:5.2f}× cpu)   target {goal:<8} {verdict(ok(wall))}"


def _bytes_target(label: str, a: Spec | None, b: Spec | None) -> str | None:
    """The ratio of the two rows' output sizes, against its target."""
    if a is None or b is None or a.samples[0].size is None or b.samples[0].size is None:
        return None
    r, goal = _ratio(a, b, "size"), TARGETS["bytes_plain"]
    return f"{label:<50} {r:7.2f}×{'':19}target ≤ {goal}×   {verdict(r <= goal)}"


def _bytes_without(label: str, a: Spec | None, b: Spec | None, part: str) -> str | None:
    """The same ratio with one of the site's parts left out, judged by no target: what the
    rest of the site weighs against the floor."""
    if a is None or b is None or part not in a.parts or not b.parts:
        return None
    ours = sum(size for name, size in a.parts.items() if name != part)
    return f"{label:<50} {ours / sum(b.parts.values()):7.2f}×"


def _for_comparison(label: str, a: Spec | None, b: Spec | None) -> str | None:
    """A ratio printed for comparison with earlier figures, judged by no target."""
    if a is None or b is None:
        return None
    return f"{label:<50} {_ratio(a, b):7.2f}×  ({_ratio(a, b, 'cpu'):5.2f}× cpu)"


def _bytes_by_part(n: int, site: Spec | None, plain: Spec | None, shown: int = 8) -> list[str]:
    """Where the site's bytes go, beside the plain floor's: its largest top-level entries,
    then the rest."""
    if site is None or plain is None or not site.parts:
        return []
    names = list(site.parts)[:shown]

    def pair(ours: int, floor: int) -> str:
        return f"{ours / 1e6:.2f} / {floor / 1e6:.2f}"

    cells = [f"{name} {pair(site.parts[name], plain.parts.get(name, 0))}" for name in names]
    rest = sum(size for name, size in site.parts.items() if name not in names)
    floor_rest = sum(size for name, size in plain.parts.items() if name not in names)
    cells.append(f"the rest {pair(rest, floor_rest)}")
    return [f"{'':7}N={n}: site bytes by part, MB (site / plain floor): " + " · ".join(cells)]


def _pdf_linear(results: dict[int, tuple[list[Spec], Info]]) -> list[str]:
    """The PDF at N=1,000 against its own time at N=100 (issue 19: within 12×), and the
    plain footnoted floor's ratio beside it."""
    missing = ["linear: the PDF at N=1000 not measured (run with --pdf-sizes 100 1000)"]
    if 100 not in results or 1000 not in results:
        return missing
    big, small = results[1000][0], results[100][0]
    ours, ours_small = _get(big, "pdf"), _get(small, "pdf")
    if ours is None or ours_small is None:
        return missing
    r, goal = _ratio(ours, ours_small), TARGETS["pdf_linear"]
    floor, floor_small = _get(big, "pdf_plain"), _get(small, "pdf_plain")
    beside = f"; the floor {_ratio(floor, floor_small):.2f}×" if floor and floor_small else ""
    label = "linear: briefing pdf, N=1000 / N=100"
    return [f"{label:<50} {r:7.2f}×{'':19}target ≤ {goal:.0f}×  {verdict(r <= goal)}{beside}"]


def _citation_cost(bibtex: Spec | None, site: Spec | None, floor: Spec | None) -> list[str]:
    """What citing costs each tool over the same plain-MkDocs floor: beside the whole-build
    ratio, which the floor bounds (bibtex / floor is the most that ratio can be)."""
    if bibtex is None or site is None or floor is None:
        return []
    base = median([s.wall for s in floor.samples])
    theirs = median([s.wall for s in bibtex.samples]) - base
    ours = median([s.wall for s in site.samples]) - base
    ratio = f"{theirs / ours:.1f}×" if ours > 0 else "briefing adds nothing over the floor"
    return [
        (
            f"{'':7}over the floor: mkdocs-bibtex+CSL adds {theirs:.2f} s, briefing "
            f"{ours:.2f} s ({ratio}); the whole-build ratio cannot pass "
            f"{(theirs + base) / base:.1f}×, bibtex / floor"
        )
    ]


def _engine_targets(engines: list[Info]) -> list[str]:
    """The issue's preview targets, per N: one engine within 1 s, the other within 2 s."""
    t, lines = TARGETS, []
    for name in sorted({e["name"] for e in engines}, key=int):
        measured = sorted(
            (median(e["latencies"]), e["engine"]) for e in engines if e["name"] == name
        )
        goals = (("best", t["preview_best"]), ("other", t["preview_other"]))
        for (seconds, engine), (which, goal) in zip(measured, goals, strict=False):
            label = f"N={name}: edit→served, {which} engine ({engine})"
            lines.append(
                f"{label:<50} {seconds:7.2f} s{'':18}target ≤ {goal:.0f} s    "
                f"{verdict(seconds <= goal)}"
            )
    return lines


def report(
    results: dict[int, tuple[list[Spec], Info]],
    previews: list[Info],
    cache: Info | None,
    engines: list[Info] | None = None,
) -> str:
    lines = [
        (
            f"{'measurement':<54} {'N':>5} {'wall s':>9} {'cpu s':>8} {'peak MiB':>9} "
            f"{'site MiB':>9} {'runs':>4}"
        ),
        "-" * WIDTH,
    ]
    for n, (specs, info) in sorted(results.items()):
        for spec in specs:
            note = "(fewer runs: --slow-runs)" if spec.runs else ""
            lines.append(row(spec.label, str(n), spec.samples, note))
        lines.append(
            f"  N={n}: {info['notes']} notes, {info['sources']} sources, {info['topics']} "
            f"topics, {info['statements']} statements, {info['quoted']} quoted citations, "
            f"{info['pages']} generated pages"
        )
        lines.append("")
    for preview in previews:
        lines.append(row("clean mkdocs build", preview["name"], preview["builds"]))
        lat = preview["latencies"]
        lines.append(
            f"{'mkdocs serve: one note edited → page served':<54} {preview['name']:>5} "
            f"{median(lat):9.2f} {'':8} {'':9} {'':9} {len(lat):>4}"
        )
        lines.append("")
    for engine in engines or []:
        lat = engine["latencies"]
        label = f"briefing serve --engine {engine['engine']}: edit → served"
        lines.append(
            f"{label:<54} {engine['name']:>5} {median(lat):9.2f} {'':8} {'':9} {'':9} "
            f"{len(lat):>4}  (first edit {engine['first']:.2f} s, "
            f"startup {engine['started']:.1f} s)"
        )
    if engines:
        lines.append("")

    lines += [
        (
            "Targets: ratios of the medians above, wall time (CPU time beside it: steadier "
            "on a busy machine)"
        ),
        "-" * WIDTH,
    ]
    t = TARGETS
    for n, (specs, _info) in sorted(results.items()):
        site, plain = _get(specs, "site"), _get(specs, "plain")
        for line in (
            _target(
                f"N={n}: site build / plain floor",
                site,
                plain,
                lambda r: r <= t["build_plain"],
                f"≤ {t['build_plain']}×",
            ),
            _bytes_target(f"N={n}: site bytes / plain floor's", site, plain),
            _bytes_without(
                f"N={n}: same, statements.json aside (no verdict)", site, plain, "statements.json"
            ),
            _target(
                f"N={n}: briefing check / Python-Markdown render",
                _get(specs, "check"),
                _get(specs, "markdown"),
                lambda r: r <= t["check_markdown"],
                f"≤ {t['check_markdown']}×",
            ),
            _for_comparison(
                f"N={n}: site build / old floor (no verdict)", site, _get(specs, "floor")
            ),
            _target(
                f"N={n}: mkdocs-bibtex with CSL / site build",
                _get(specs, "bibtex_csl"),
                site,
                lambda r: r >= t["bibtex_build"],
                f"≥ {t['bibtex_build']:.0f}×",
            ),
            _target(
                f"N={n}: same, a page per note / site build",
                _get(specs, "bibtex_csl_notes"),
                site,
                lambda r: r >= t["bibtex_build"],
                f"≥ {t['bibtex_build']:.0f}×",
            ),
            _target(
                f"N={n}: briefing pdf / WeasyPrint alone",
                _get(specs, "pdf"),
                _get(specs, "weasyprint"),
                lambda r: r <= t["pdf_weasyprint"],
                f"≤ {t['pdf_weasyprint']:.0f}×",
            ),
            _target(
                f"N={n}: briefing pdf / plain footnoted floor",
                _get(specs, "pdf"),
                _get(specs, "pdf_plain"),
                lambda r: r <= t["pdf_plain"],
                f"≤ {t['pdf_plain']}×",
            )
            if n == 100
            else _for_comparison(
                f"N={n}: briefing pdf / plain footnoted floor",
                _get(specs, "pdf"),
                _get(specs, "pdf_plain"),
            ),
        ):
            if line:
                lines.append(line)
        lines += _citation_cost(_get(specs, "bibtex_csl"), site, _get(specs, "floor"))
        lines += _bytes_by_part(n, site, plain)
    lines += _pdf_linear(results)
    if 1000 in results and 5000 in results:
        big, small = results[5000][0], results[1000][0]
        for key in ("site", "check", "pdf"):
            a, b = _get(big, key), _get(small, key)
            if a is None or b is None:
                continue
            for attr, what in (
                ("wall", "time"),
                ("cpu", "cpu time"),
                ("rss_kib", "peak memory"),
                ("size", "output size"),
            ):
                if attr == "size" and a.samples[0].size is None:
                    continue
                r = _ratio(a, b, attr)
                label = f"linear: {a.label.split(':')[0]} {what}, N=5000 / N=1000"
                lines.append(
                    f"{label:<50} {r:7.2f}×{'':19}target ≤ {t['linear']}×   "
                    f"{verdict(r <= t['linear'])}"
                )
    else:
        lines.append("linear: N=5000 not measured (run with --large)")
    for preview in previews:
        build = median([s.wall for s in preview["builds"]])
        r = median(preview["latencies"]) / build
        label = f"{preview['name']}: mkdocs serve edit→served / clean build"
        lines.append(
            f"{label:<50} {r:7.2f}×{'':19}target ≤ {t['preview_build']}×   "
            f"{verdict(r <= t['preview_build'])}"
        )
    lines += _engine_targets(engines or [])
    if cache:
        prose, yaml_docs = cache["prose_parsed"], cache["front_matter_parsed"]
        rendered, pages = cache["pages_rendered"], cache["pages"]
        # The note, and briefing.yml at most; its topic page, the source pages it cites and
        # the pages built from the whole briefing (fewer than a quarter of the pages).
        ok = prose <= 1 and yaml_docs <= 2 and rendered < pages / 4
        lines.append(
            f"N={cache['notes']}: one note edited, analysed again in the same process: "
            f"{prose}/{cache['notes']} note bodies and "
            f"{yaml_docs}/{cache['files']} YAML documents parsed again"
        )
        lines.append(
            f"{'':7}analysis {cache['cold']:.2f} s cold, {cache['warm']:.2f} s after the "
            f"edit ({cache['warm'] / cache['cold']:.0%}); render_site after it "
            f"{cache['render']:.2f} s, {rendered}/{pages} pages rendered again"
            f"{'':3}target: only what changed  {verdict(ok)}"
        )
    return "\n".join(lines)


def profile_table(site: Info, floor: Info) -> str:
    """Where the time of the site build goes, beside the plain floor's, phase by phase."""
    lines = [
        (
            f"{'phase (cumulative s under cProfile; phases nest)':<54} {'site':>8} "
            f"{'floor':>8} {'site−floor':>11}"
        ),
        "-" * 84,
    ]
    for label, module, qualname in PHASES:
        if site.get(label) is None:  # the function moved: say so rather than show 0
            lines.append(f"{label:<54} {'?':>8} {'?':>8} {'':11}  ({module}.{qualname} not found)")
            continue
        a, b = site[label], floor.get(label) or 0.0
        if a or b:
            lines.append(f"{label:<54} {a:8.2f} {b:8.2f} {a - b:11.2f}")
    return "\n".join(lines)
