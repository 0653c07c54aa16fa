"""Human rendering of an ExtractionResult: a Rich table with the figure highlighted in its quote."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from displacement_monitor.model import ExtractionResult, Fact

_CAUSE_STYLE = {"conflict": "red", "disaster": "blue", "other": "magenta"}


def _figure(fact: Fact) -> str:
    if fact.figure is not None and fact.qualifier in {"exact", "approximately"}:
        prefix = "~" if fact.qualifier == "approximately" else ""
        return f"{prefix}{fact.figure:,}"
    if fact.qualifier == "more_than":
        return f">{fact.figure_min:,}" if fact.figure_min is not None else "?"
    if fact.qualifier == "less_than":
        return f"≤{fact.figure_max:,}" if fact.figure_max is not None else "?"
    low = f"{fact.figure_min:,}" if fact.figure_min is not None else "?"
    high = f"{fact.figure_max:,}" if fact.figure_max is not None else "?"
    return f"{low}–{high}"


def _quote(fact: Fact) -> Text:
    text = Text(fact.quote)
    if fact.figure_text:
        text.highlight_words([fact.figure_text], style="bold yellow")
    return text


#: Below this many columns the facts are listed one under another instead of in a table.
_NARROW = 110


def _where(fact: Fact) -> str:
    where = fact.location.name if fact.location else (fact.country_iso3 or "—")
    if fact.location and fact.location.country_iso3:
        where += f" ({fact.location.country_iso3})"
    if fact.destination:
        where += f" → {fact.destination.name}"
    return where


def _when(fact: Fact) -> str:
    return fact.date.start.isoformat() if fact.date and fact.date.start else "—"


def _what(fact: Fact) -> str:
    return f"{fact.unit} · {fact.term}" + (" · expected" if fact.modality == "expected" else "")


def _render_list(console: Console, result: ExtractionResult) -> None:
    for fact in result.facts:
        console.print(f"  [bold]{_figure(fact)}[/] {_what(fact)} · [green]{_where(fact)}[/] · {_when(fact)}")
        console.print(Text("    ").append(_quote(fact)))
    console.print()


def render_table(console: Console, result: ExtractionResult) -> None:
    """Print one document: a header line, then one row per fact (or the error)."""
    title = result.title or result.id
    if result.error:
        console.print(f"[bold]{result.id}[/] [red]{result.error}[/]")
        return
    cause = result.cause or "—"
    console.print(
        f"[bold]{result.id}[/] · {title[:80]} · lang={result.language or '?'} · "
        f"[{_CAUSE_STYLE.get(cause, 'white')}]{cause}/{result.hazard or '—'}[/] · "
        f"country={result.country_iso3 or '—'} · {'relevant' if result.relevant else 'not relevant'}"
    )
    if not result.facts:
        console.print("  [dim]no displacement facts[/]\n")
        return
    if console.width < _NARROW:
        _render_list(console, result)
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("figure", style="bold", no_wrap=True)
    table.add_column("what", overflow="fold", max_width=22)
    table.add_column("where / when", style="green", overflow="fold", max_width=26)
    table.add_column("evidence", overflow="fold", min_width=30, ratio=1)
    for fact in result.facts:
        table.add_row(_figure(fact), _what(fact), f"{_where(fact)}\n{_when(fact)}", _quote(fact))
    console.print(table)
