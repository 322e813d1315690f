"""A synthetic briefing for the benchmark, generated deterministically from a seed.

    .venv/bin/python scripts/bench/corpus.py --notes 1000 --out /tmp/corpus

writes, under OUT:

    briefs/briefing.yml     10-20 topics (the first is the summary topic), a few declared facts
    briefs/sources/*.md     N/5 source records whose archived text is generated sentences
    briefs/notes/*.md       N notes of about 10 sentences each, every sentence cited; about a
                            third of the citations carry a quoted locator copied from the cited
                            source's archived text, so that it verifies
    docs/                   empty (the briefing plugin generates every page)
    mkdocs.yml              the briefing plugin with this repository's templates, the same
                            theme as the repository's own mkdocs.yml and its Markdown dialect
                            (briefing.output.dialect.MARKDOWN_EXTENSIONS)

The same (notes, seed) always gives the same bytes. Only the standard library is used,
and that one constant of the package (a module without imports), so that the generator
itself costs nothing the benchmark would have to explain.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

from briefing.output.dialect import MARKDOWN_EXTENSIONS

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
EXTENSION_CONFIGS: dict[str, dict[str, object]] = {"toc": {"permalink": True}}
"""How the generated mkdocs.yml configures the dialect's extensions, as the repository's
own mkdocs.yml does; the benchmark's Python-Markdown baseline uses the same."""

# Plain words only: none is an abbreviation the sentence splitter knows ("no", "art", "p"…),
# none carries punctuation, so every generated sentence ends where the generator says.
WORDS = [
    "able",
    "about",
    "access",
    "account",
    "across",
    "action",
    "activity",
    "actually",
    "added",
    "address",
    "advance",
    "agency",
    "agreement",
    "aircraft",
    "alliance",
    "allies",
    "analysis",
    "announced",
    "annual",
    "another",
    "approach",
    "area",
    "armed",
    "army",
    "artillery",
    "assembly",
    "assistance",
    "attack",
    "authority",
    "available",
    "balance",
    "bank",
    "based",
    "basis",
    "became",
    "become",
    "before",
    "began",
    "behind",
    "being",
    "believe",
    "border",
    "briefing",
    "broad",
    "budget",
    "build",
    "called",
    "capital",
    "capacity",
    "carried",
    "cases",
    "central",
    "chain",
    "change",
    "channel",
    "charge",
    "chief",
    "claim",
    "clear",
    "close",
    "coast",
    "command",
    "commerce",
    "committee",
    "common",
    "company",
    "complex",
    "concern",
    "conflict",
    "congress",
    "contact",
    "contract",
    "control",
    "corridor",
    "council",
    "country",
    "course",
    "court",
    "covered",
    "crisis",
    "current",
    "customs",
    "data",
    "deal",
    "debate",
    "decision",
    "defence",
    "delegation",
    "demand",
    "deploy",
    "described",
    "design",
    "detail",
    "development",
    "direct",
    "director",
    "disputed",
    "district",
    "document",
    "domestic",
    "draft",
    "early",
    "eastern",
    "economic",
    "effect",
    "effort",
    "election",
    "embassy",
    "energy",
    "engine",
    "envoy",
    "equipment",
    "estimate",
    "event",
    "evidence",
    "exchange",
    "exercise",
    "expected",
    "export",
    "facility",
    "factory",
    "federal",
    "field",
    "figure",
    "final",
    "finance",
    "firm",
    "fleet",
    "force",
    "foreign",
    "formal",
    "forward",
    "framework",
    "freight",
    "frontier",
    "fuel",
    "funding",
    "future",
    "general",
    "given",
    "goods",
    "government",
    "grain",
    "ground",
    "group",
    "growth",
    "harbour",
    "heavy",
    "held",
    "highway",
    "hold",
    "house",
    "imports",
    "industry",
    "initial",
    "inquiry",
    "interior",
    "joint",
    "judge",
    "junior",
    "known",
    "labour",
    "large",
    "later",
    "launch",
    "leader",
    "legal",
    "level",
    "limit",
    "line",
    "local",
    "logistics",
    "machine",
    "maintain",
    "major",
    "manual",
    "maritime",
    "market",
    "matter",
    "measure",
    "meeting",
    "member",
    "memo",
    "method",
    "military",
    "mineral",
    "minister",
    "mission",
    "model",
    "motion",
    "movement",
    "municipal",
    "naval",
    "network",
    "nuclear",
    "number",
    "office",
    "official",
    "opened",
    "operation",
    "order",
    "outline",
    "output",
    "overall",
    "pact",
    "parliament",
    "partner",
    "passage",
    "patrol",
    "payment",
    "period",
    "permit",
    "pipeline",
    "place",
    "planned",
    "point",
    "policy",
    "political",
    "port",
    "position",
    "power",
    "present",
    "press",
    "pressure",
    "price",
    "private",
    "process",
    "product",
    "programme",
    "project",
    "proposal",
    "protocol",
    "province",
    "public",
    "quarter",
    "railway",
    "range",
    "rapid",
    "ratified",
    "reached",
    "record",
    "region",
    "regional",
    "release",
    "report",
    "request",
    "reserve",
    "response",
    "result",
    "review",
    "route",
    "rule",
    "satellite",
    "schedule",
    "season",
    "second",
    "secretary",
    "sector",
    "security",
    "senior",
    "service",
    "session",
    "settled",
    "shipment",
    "signal",
    "signed",
    "site",
    "source",
    "special",
    "spokesman",
    "staff",
    "standard",
    "state",
    "statement",
    "station",
    "steel",
    "strategic",
    "structure",
    "summit",
    "supply",
    "support",
    "system",
    "talks",
    "target",
    "technical",
    "term",
    "territory",
    "test",
    "text",
    "third",
    "trade",
    "training",
    "transfer",
    "transit",
    "treaty",
    "troops",
    "union",
    "unit",
    "vessel",
    "visit",
    "volume",
    "warning",
    "water",
    "week",
    "western",
    "winter",
    "witness",
    "worker",
    "written",
    "year",
]

FIRST_NAMES = [
    "Ada",
    "Bela",
    "Chen",
    "Dara",
    "Emil",
    "Farah",
    "Goran",
    "Hana",
    "Ivo",
    "Jun",
    "Kemal",
    "Lena",
    "Mira",
    "Niko",
    "Olga",
    "Pavel",
    "Rosa",
    "Sami",
    "Tala",
    "Uma",
]
LAST_NAMES = [
    "Abel",
    "Brandt",
    "Costa",
    "Dimitrov",
    "Eriksen",
    "Fontaine",
    "Gallo",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quint",
    "Rossi",
    "Sato",
    "Tamm",
]
PUBLISHERS = [
    "The Harbour Gazette",
    "Northern Wire",
    "Coastal Review",
    "The Policy Desk",
    "Regional Monitor",
    "The Ledger",
    "Frontier Post",
    "Capital Dispatch",
]
SOURCE_TYPES = ["primary", "reporting", "reporting", "analysis", "commentary", "unknown"]
GRADES = ["A", "B", "B", "C", "C", "C", "D", "D", "E", "F"]
FACTS = {
    "signing-date": ("Date of signing", "date", ["2024-06-19", "2024-06", "2024-06-20"]),
    "ratified-date": ("Date of ratification", "date", ["2024-11", "2024-11-09", "2024-12"]),
    "signing-place": ("Place of signing", "text", ["the capital", "the northern port"]),
    "duration": ("Duration of the agreement", "text", ["indefinite", "ten years"]),
}


@dataclass(frozen=True)
class SourceText:
    id: str
    sentences: tuple[tuple[str, ...], ...]
    """The archived text's sentences, each as its words (quotes are cut from these)."""


def _sentence(rng: random.Random, low: int = 8, high: int = 16) -> list[str]:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words[0] = words[0].capitalize()
    return words


def _title(rng: random.Random, low: int = 3, high: int = 7) -> str:
    return " ".join(_sentence(rng, low, high))


def _yaml(value: str) -> str:
    """A YAML scalar: JSON strings are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def topics_for(rng: random.Random) -> list[tuple[str, str]]:
    count = rng.randint(10, 20)
    topics = [("key-points", "Key points")]
    for number in range(1, count):
        topics.append((f"topic-{number:02d}", f"Topic {number}: {_title(rng, 2, 4)}"))
    return topics


def briefing_yml(topics: list[tuple[str, str]]) -> str:
    lines = [
        "title: A synthetic briefing for the benchmark",
        "subtitle: Generated notes citing generated sources",
        "marking: PUBLIC",
        "language: en",
        "summary_topic: key-points",
        "topics:",
    ]
    for topic_id, title in topics:
        lines += [f"  - id: {topic_id}", f"    title: {_yaml(title)}"]
    lines.append("facts:")
    fact_topics = [t for t, _ in topics[1:]]
    for index, (key, (label, kind, _values)) in enumerate(sorted(FACTS.items())):
        lines.append(
            f"  {key}: {{label: {_yaml(label)}, type: {kind}, "
            f"topic: {fact_topics[index % len(fact_topics)]}}}"
        )
    # As in the repository's briefing: both judgments are shown to readers on the site;
    # warnings on every generated statement would only make `briefing check` print more.
    lines += ["checks:", "  weak-sourcing: off", "  disputed-fact: off"]
    return "\n".join(lines) + "\n"


def source_record(rng: random.Random, source_id: str) -> tuple[str, SourceText]:
    author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    day = rng.randint(1, 28)
    front = [
        f"title: {_yaml(_title(rng))}",
        f'issued: "2024-{rng.randint(1, 12):02d}-{day:02d}"',
        f"type: {rng.choice(SOURCE_TYPES)}",
        f"reliability: {rng.choice(GRADES)}",
        f"author: {_yaml(author)}",
        f"publisher: {_yaml(rng.choice(PUBLISHERS))}",
        f"url: https://example.org/{source_id}",
        f'accessed: "2024-12-{day:02d}"',
    ]
    stated = sorted(rng.sample(sorted(FACTS), rng.choice([0, 0, 0, 1, 1, 2])))
    if stated:
        front.append("facts:")
        front += [f"  {key}: {_yaml(rng.choice(FACTS[key][2]))}" for key in stated]
    front.append(f"note: {_yaml('Generated for the benchmark. ' + ' '.join(_sentence(rng)) + '.')}")
    sentences: list[tuple[str, ...]] = []
    paragraphs = []
    for _ in range(rng.randint(6, 14)):
        paragraph = [tuple(_sentence(rng)) for _ in range(rng.randint(2, 4))]
        sentences += paragraph
        paragraphs.append(" ".join(" ".join(words) + "." for words in paragraph))
    text = "---\n" + "\n".join(front) + "\n---\n" + "\n".join(paragraphs) + "\n"
    return text, SourceText(source_id, tuple(sentences))


def _quote(rng: random.Random, source: SourceText) -> str:
    words = rng.choice(source.sentences)
    length = min(len(words), rng.randint(3, 7))
    start = rng.randint(0, len(words) - length)
    return " ".join(words[start : start + length])


def citation(rng: random.Random, primary: SourceText, pool: list[SourceText]) -> str:
    """A citation group: plain, with a page locator, with a quoted locator, or two sources."""
    roll = rng.random()
    if roll < 0.40:
        return f"[@{primary.id}]"
    if roll < 0.55:
        return f"[@{primary.id}, para. {rng.randint(1, 12)}]"
    if roll < 0.85:
        return f'[@{primary.id}, "{_quote(rng, primary)}"]'
    other = rng.choice(pool)
    if other.id == primary.id:
        return f'[@{primary.id}, "{_quote(rng, primary)}"]'
    return f'[@{primary.id}; @{other.id}, "{_quote(rng, other)}"]'


def _cited(rng: random.Random, primary: SourceText, pool: list[SourceText]) -> str:
    """One sentence citing the note's primary source (mostly) or one of its pool."""
    cited = primary if rng.random() < 0.6 else rng.choice(pool)
    return " ".join(_sentence(rng)) + " " + citation(rng, cited, pool) + "."


def note_record(
    rng: random.Random, topic: str, order: int, primary: SourceText, pool: list[SourceText]
) -> str:
    """About ten cited sentences: paragraphs, sometimes a list, sometimes an assessment."""
    front = [
        f"title: {_yaml(_title(rng))}",
        f"topic: {topic}",
        f"author: {_yaml(rng.choice(FIRST_NAMES) + ' ' + rng.choice(LAST_NAMES))}",
        f"order: {order}",
    ]
    blocks = []
    remaining = rng.randint(9, 11)
    shape = rng.random()
    if shape < 0.3:
        items = 2
        blocks.append("\n".join("- " + _cited(rng, primary, pool) for _ in range(items)))
        remaining -= items
    if 0.2 < shape < 0.45:
        level = rng.choice(["Low", "Moderate", "High"])
        blocks.append(f'!!! assessment "{level} confidence"\n    ' + _cited(rng, primary, pool))
        remaining -= 1
    while remaining > 0:
        size = min(remaining, rng.randint(2, 4))
        blocks.append("\n".join(_cited(rng, primary, pool) for _ in range(size)))
        remaining -= size
    if rng.random() < 0.15:
        blocks.insert(1, "### " + _title(rng, 2, 4))
    return "---\n" + "\n".join(front) + "\n---\n" + "\n\n".join(blocks) + "\n"


def _extensions_yml() -> str:
    """The dialect's extensions as mkdocs.yml lists them, each with its configuration."""
    lines = []
    for name in MARKDOWN_EXTENSIONS:
        config = EXTENSION_CONFIGS.get(name)
        lines.append(f"  - {name}{':' if config else ''}")
        for key, value in (config or {}).items():
            lines.append(f"      {key}: {json.dumps(value, ensure_ascii=False)}")  # YAML too
    return "\n".join(lines)


def mkdocs_yml() -> str:
    """The repository's look and Markdown dialect, with the briefing plugin on briefs/."""
    return f"""\
site_name: Benchmark
docs_dir: docs
use_directory_urls: false
theme:
  name: material
  custom_dir: {_yaml(str(TEMPLATES / "overrides"))}
  font: false
  language: en
  features:
    - content.action.edit
    - navigation.top
    - search.highlight
  palette:
    - scheme: default
      primary: indigo
      accent: indigo
plugins:
  - search
  - offline
  - briefing:
      briefs_dir: briefs
      templates_dir: {_yaml(str(TEMPLATES))}
markdown_extensions:
{_extensions_yml()}
extra:
  polyfills:
    - assets/briefing/iframe-worker-shim.js
extra_javascript:
  - assets/briefing/briefing.js
watch:
  - briefs
  - {_yaml(str(TEMPLATES))}
"""


def generate(out: Path, notes: int, seed: int = 1) -> dict[str, int]:
    """Write the corpus into `out` (created; must not hold an older corpus). Returns counts."""
    if notes < 5:
        raise ValueError("at least 5 notes (one source per five notes)")
    rng = random.Random(seed)
    briefs = out / "briefs"
    (briefs / "sources").mkdir(parents=True)
    (briefs / "notes").mkdir()
    (out / "docs").mkdir()
    topics = topics_for(rng)
    (briefs / "briefing.yml").write_text(briefing_yml(topics), encoding="utf-8")
    (out / "mkdocs.yml").write_text(mkdocs_yml(), encoding="utf-8")

    sources: list[SourceText] = []
    for number in range(1, notes // 5 + 1):
        source_id = f"src-{number:05d}"
        text, parsed = source_record(rng, source_id)
        (briefs / "sources" / f"{source_id}.md").write_text(text, encoding="utf-8")
        sources.append(parsed)

    summary_notes = max(2, notes // 100)
    page_topics = [t for t, _ in topics[1:]]
    orders: dict[str, int] = {}
    for number in range(notes):
        topic = "key-points" if number < summary_notes else rng.choice(page_topics)
        orders[topic] = orders.get(topic, 0) + 1
        primary = sources[number % len(sources)]  # every source is cited at least once
        start = rng.randrange(len(sources))
        pool = [sources[(start + k) % len(sources)] for k in range(min(4, len(sources)))]
        text = note_record(rng, topic, orders[topic], primary, pool)
        (briefs / "notes" / f"note-{number + 1:05d}.md").write_text(text, encoding="utf-8")
    return {"notes": notes, "sources": len(sources), "topics": len(topics)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=100, help="number of notes (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (must not exist)")
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists; choose a new folder")
    counts = generate(args.out, args.notes, args.seed)
    print(
        f"bench corpus: {counts['notes']} notes, {counts['sources']} sources, "
        f"{counts['topics']} topics in {args.out}"
    )


if __name__ == "__main__":
    main()
