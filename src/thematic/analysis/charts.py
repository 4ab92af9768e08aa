"""Charts as matplotlib Figures (never shown; the caller saves them as PNG or SVG).

Figures are built with ``matplotlib.figure.Figure`` directly, so nothing touches pyplot's global
state or needs a display: safe in scripts, tests and notebooks alike (where a Figure displays itself).
"""

from __future__ import annotations

import functools
import re
import textwrap
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Mapping, ParamSpec, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..errors import Errors, InputError, Warnings
from .frequency import ALL_GROUP
from .selection import UNCATALOGUED, UNCATALOGUED_HEADING

#: The suffixes a chart may be saved under.
FIGURE_FORMATS = ("png", "svg", "pdf")
PALETTE = ("#3B6E8F", "#D08C3B", "#6A9A5B", "#A5546B", "#7F6BA8", "#8C8C8C", "#C2B04E", "#4FA3A5")
#: Patterns laid over the palette's colours once they are used up (the first is plain).
HATCHES = ("", "//", "..", "\\\\", "xx", "oo", "++", "--", "||", "**")
STATISTIC_LABELS = {
    "krippendorff_alpha": "Krippendorff's alpha", "cohen_kappa": "Cohen's kappa", "fleiss_kappa": "Fleiss' kappa",
    "percent_agreement": "Percent agreement",
}
_VALUE_LABELS = {
    "n_participants": "Participants the code was applied to", "pct_participants": "Share of participants (%)",
    "n_segments": "Coded passages", "n_documents": "Documents with the code",
}
_MAX_HEIGHT = 10.5  # inches: a chart fits a page
_P = ParamSpec("_P")


#: Broad-coverage fonts a chart falls back on, in order, for characters its own font lacks (when installed).
FALLBACK_FONTS = (
    "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "Microsoft YaHei", "PingFang SC",
    "Hiragino Sans", "Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans Arabic", "Noto Sans Hebrew",
    "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans", "Arial Unicode MS", "STIXGeneral",
)
_MISSING_GLYPH = re.compile(r"Glyph (\d+) \(.*\) missing from font")


def chart_font_families(candidates: Sequence[str] = FALLBACK_FONTS) -> list[str]:
    """The font families charts ask for: matplotlib's default, then each of ``candidates`` installed here, so
    a label in Chinese or with a symbol is drawn from a font that has it rather than as empty boxes."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [*matplotlib.rcParams["font.family"], *(c for c in candidates if c in installed)]


@contextmanager
def missing_glyphs_reported(where: object) -> Iterator[None]:
    """Draw inside the block; matplotlib's raw warnings about characters no font has become one W404 naming
    ``where`` (the chart) and the characters; other warnings pass on as they were."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing: dict[int, None] = {}
    for w in caught:
        found = _MISSING_GLYPH.match(str(w.message))
        if found:
            missing[int(found.group(1))] = None
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if missing:
        chars = ", ".join(f"{chr(c)!r} (U+{c:04X})" for c in list(missing)[:12]) + (", ..." if len(missing) > 12 else "")
        warnings.warn(Warnings.W404.format(path=where, n=len(missing), chars=chars), UserWarning, stacklevel=3)


def _literal_text(build: Callable[_P, Figure]) -> Callable[_P, Figure]:
    """Draw every text of the chart as written: labels, groups and titles are the user's, and a `$` in them
    must neither start mathtext (losing the dollars, or failing to parse) nor go through TeX; characters the
    default font lacks come from another installed font (``chart_font_families``)."""
    @functools.wraps(build)
    def built(*args: _P.args, **kwargs: _P.kwargs) -> Figure:
        with matplotlib.rc_context({"text.usetex": False, "axes.formatter.use_mathtext": False,
                                    "font.family": chart_font_families()}):
            fig = build(*args, **kwargs)
        for text in fig.findobj(Text):
            text.set_usetex(False)
            text.set_parse_math(False)
        return fig
    return built


def series_styles(n: int) -> list[tuple[object, str]]:
    """A different (colour, hatch) for each of ``n`` series: the palette's colours plain, then hatched with one
    pattern after another; past that, colours spread over viridis (readable by colour-blind readers too)."""
    pairs: list[tuple[object, str]] = [(c, h) for h in HATCHES for c in PALETTE]
    if n <= len(pairs):
        return pairs[:n]
    colours = matplotlib.colormaps["viridis"](np.linspace(0, 1, n))
    return [(tuple(colours[i]), HATCHES[i % len(HATCHES)]) for i in range(n)]


def _wrap(label: str, width: int = 38) -> str:
    lines = textwrap.wrap(str(label), width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines) or str(label)


def _series_names(df: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """The bars' series (group, or kind and group) and their legend labels with sizes: ``staff (n=2)``.

    Series follow the source kinds as the table lists them, then groups in natural order (``ordering``)."""
    from .frequency import wide_columns
    from .ordering import natural_key

    cols = wide_columns(df)
    sizes = dict(zip(cols, df["N_participants"]))
    sources = [str(s) for s in df["source"]] if "source" in df else [""] * len(df)
    kind_rank = {s: i for i, s in enumerate(dict.fromkeys(sources))}
    group_key = natural_key(g for g in df["group"] if g != ALL_GROUP)
    where = dict(zip(cols, zip(sources, df["group"])))
    names = sorted(dict.fromkeys(cols), key=lambda n: (kind_rank[where[n][0]], where[n][1] != ALL_GROUP,
                                                       group_key(where[n][1])))
    shown = [n for n in names if n != ALL_GROUP] or names
    return shown, {n: f"{'All' if n == ALL_GROUP else n} (n={int(sizes[n])})" for n in shown}


@_literal_text
def frequency_chart(
    freq: pd.DataFrame,
    *,
    value: str = "n_participants",
    level: str | None = "code",
    top: int | None = None,
    title: str | None = None,
) -> Figure:
    """Horizontal bars of a frequency table (``frequencies``), one series per group (or source kind),
    each labelled with its size (``co-ordinator (n=2)``).

    Args:
        freq: Output of ``frequencies`` (with or without ``by``).
        value: n_participants, pct_participants, n_segments or n_documents.
        level: Keep ``code`` or ``theme`` rows, sorted by value; None keeps both in codebook order
            (each theme above its codes, sub-codes marked with a dash per level below a code), so themes and
            codes are never ranked against each other; codes not in the codebook come last under their own
            heading, never under the last theme.
        top: Only the ``top`` entries by the whole-study value (with ``level=None`` themes and codes alike, still
            drawn in codebook order; a theme counts at least as much as any of its codes, so it is kept with them).
        title: Figure title.
    """
    if value not in _VALUE_LABELS:
        raise InputError(Errors.E403.format(option="value", value=value, allowed=", ".join(_VALUE_LABELS)))
    if level not in (None, "code", "theme"):
        raise InputError(Errors.E403.format(option="level", value=level, allowed="code, theme, None (both)"))
    need = {"code_id", "kind", "label", "N_participants", value}
    if not isinstance(freq, pd.DataFrame) or not need <= set(freq.columns):
        missing = sorted(need - set(getattr(freq, "columns", ())))
        raise InputError(Errors.E043.format(
            function="frequency_chart", argument=f"this {type(freq).__name__}",
            detail=f"it is not a frequency table (no column {', '.join(missing)})",
            fix="Pass the table `study.frequencies(...)` returns; chart agreement with `agreement_chart`."))
    df = freq if level is None else freq.loc[(freq["kind"] == "theme") == (level == "theme")]
    if df.empty:
        raise InputError(Errors.E043.format(
            function="frequency_chart", argument="this frequency table",
            detail=f"it has no {level or 'code or theme'} rows, so there is nothing to draw",
            fix="Chart a table with codings in it (check its filters), or another level (level='theme' or None)."))
    if "source" not in df:
        df = df.assign(source="participants")
    series, legend = _series_names(df)
    from .frequency import wide_columns

    keyed = df.assign(_series=wide_columns(df))
    wide = keyed.pivot_table(index="code_id", columns="_series", values=value, aggfunc="first", sort=False)
    entries = df.drop_duplicates("code_id").set_index("code_id")
    if level is None:
        order = pd.Series(0, index=list(entries.index)[::-1])
        if top:  # the largest entries, drawn in codebook order; a tie goes to the earlier (a theme before its codes)
            total = wide.reindex(columns=series).sum(axis=1).reindex(entries.index)
            keep = set(total.sort_values(ascending=False, kind="stable").index[:top])
            order = order.loc[[c in keep for c in order.index]]
    else:
        order = wide.reindex(columns=series).sum(axis=1).sort_values(ascending=True, kind="stable")
        if top:
            order = order.tail(top)
    rows: list[str | None] = list(order.index)  # bottom to top; None: the uncatalogued codes' heading
    loose = [i for i, c in enumerate(rows) if entries.loc[c, "kind"] == UNCATALOGUED]
    if level is None and loose:
        rows.insert(max(loose) + 1, None)
    headed = [c is None or entries.loc[c, "kind"] == "theme" for c in rows]
    depth = entries["depth"].fillna(1) if "depth" in entries else pd.Series(1, index=entries.index)
    indent = ["" if level is not None or c is None else "\u2013 " * max(0, int(depth[c]) - 1) for c in rows]
    names = [UNCATALOGUED_HEADING if c is None else str(entries["label"].get(c, c)) for c in rows]
    labels = [i + _wrap(n) for i, n in zip(indent, names)]
    lines = max((lab.count("\n") + 1 for lab in labels), default=1)
    row = max(0.3, 0.17 * lines + 0.08) * max(1.0, len(series) ** 0.5)
    if row * len(rows) + 1.4 > _MAX_HEIGHT and lines > 1:  # too many to wrap: one shortened line each
        labels = [i + textwrap.shorten(n, 60, placeholder="…") for i, n in zip(indent, names)]
        lines, row = 1, 0.3 * max(1.0, len(series) ** 0.5)
    need = row * len(rows) + 1.4
    # Each label gets the height of its row at most (1.3 line heights per line), so labels never overlap.
    fontsize = min(8.0, (min(need, _MAX_HEIGHT) - 1.4) * 72 / max(len(rows), 1) / (1.3 * lines))
    fig = Figure(figsize=(8, min(_MAX_HEIGHT, max(2.5, need))), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    height = 0.8 / len(series)
    values = wide.reindex(index=[c for c in rows if c is not None], columns=series).fillna(0).astype(float)
    # Every series its own colour and hatch (in the legend too), however many groups there are.
    for i, (g, (colour, hatch)) in enumerate(zip(series, series_styles(len(series)))):
        vals = np.array([0.0 if c is None else values.at[c, g] for c in rows])
        ax.barh(y + (i - (len(series) - 1) / 2) * height, vals, height=height * 0.95, color=colour, hatch=hatch,
                edgecolor="white", linewidth=0, label=legend[g])
    ax.set_yticks(y, labels, fontsize=fontsize)
    if level is None:
        for tick, bold in zip(ax.get_yticklabels(), headed):
            tick.set_fontweight("bold" if bold else "normal")
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(_VALUE_LABELS[value], fontsize=9)
    if value.startswith("n_"):
        ax.xaxis.get_major_locator().set_params(integer=True)
    if len(series) > 1 or legend.get(series[0], "").startswith(("All", "participants")) is False:
        fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=8, loc="outside lower center",
                   ncols=min(len(series), 3))
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    return fig


@_literal_text
def cooccurrence_heatmap(
    matrix: pd.DataFrame, *, labels: Mapping[str, str] | None = None, title: str | None = None,
    annotate: bool | None = None,
) -> Figure:
    """A heatmap of a square ``cooccurrence_matrix`` (counts or Jaccard), codes that never occur dropped."""
    matrix = matrix.astype("Float64")  # blank (NA) cells: pairs not counted, such as a code and its sub-codes
    occurs = [c for c in matrix.index if np.nan_to_num(matrix.loc[c].to_numpy(dtype=float, na_value=np.nan)).sum() > 0]
    m = matrix.loc[occurs, occurs].to_numpy(dtype=float, na_value=np.nan)
    names = [_wrap((labels or {}).get(c, c), 30) for c in occurs]
    size = min(14.0, max(4.0, 0.38 * len(occurs) + 2.5))
    # "compressed" is constrained layout for fixed-aspect axes: it places the colour bar beside the square
    # image, not beside the image's wider slot, so the bar's tick labels stay inside the figure.
    fig = Figure(figsize=(size + 1.5, size), layout="compressed")
    ax = fig.add_subplot()
    if not occurs:
        ax.text(0.5, 0.5, "No codes occur", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    off = m.copy()
    np.fill_diagonal(off, np.nan)
    image = ax.imshow(off, cmap="Blues", vmin=0, aspect="equal")
    ax.set_xticks(range(len(occurs)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(occurs)), names, fontsize=7)
    if annotate if annotate is not None else len(occurs) <= 15:
        for i in range(len(occurs)):
            for j in range(len(occurs)):
                if i != j and m[i, j] > 0:
                    ax.text(j, i, f"{m[i, j]:.2g}" if m[i, j] < 1 else f"{m[i, j]:.0f}", ha="center",
                            va="center", fontsize=6)
    fig.colorbar(image, ax=ax, shrink=0.6)
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    return fig


@_literal_text
def agreement_chart(table: pd.DataFrame, *, statistic: str = "krippendorff_alpha", title: str | None = None) -> Figure:
    """Agreement by code with its bootstrap interval, and Krippendorff's 0.667 / 0.8 reference lines."""
    if statistic not in table.columns:
        raise InputError(Errors.E403.format(option="statistic", value=statistic,
                                            allowed="percent_agreement, cohen_kappa, fleiss_kappa, krippendorff_alpha"))
    df = table.iloc[::-1]
    labels = df["label"] if "label" in df else df["code_id"]
    fig = Figure(figsize=(8, max(2.5, 0.3 * len(df) + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(df))
    val = df[statistic].to_numpy(dtype=float)
    low = df.get(f"{statistic}_low", df[statistic]).to_numpy(dtype=float)
    high = df.get(f"{statistic}_high", df[statistic]).to_numpy(dtype=float)
    err = np.vstack([np.nan_to_num(val - low), np.nan_to_num(high - val)])
    ax.errorbar(val, y, xerr=err, fmt="o", color=PALETTE[0], ecolor="#9DB4C4", capsize=2, markersize=4)
    for x, text in ((0.667, "0.667 tentative"), (0.8, "0.8 reliable")) if statistic != "percent_agreement" else ():
        ax.axvline(x, color="#BBBBBB", linestyle="--", linewidth=0.8)
        ax.text(x, 1.0, text, transform=ax.get_xaxis_transform(), rotation=90, ha="right", va="top", fontsize=7,
                color="#777777")
    undefined = np.isnan(val)
    for yi in y[undefined]:
        ax.text(0.0, yi, "undefined", va="center", fontsize=7, color="#888888")
    ax.set_yticks(y, [_wrap(v) for v in labels], fontsize=8)
    ax.set_xlim(min(-0.1, np.nanmin(low) - 0.05) if np.isfinite(low).any() else -0.1, 1.02)
    ax.set_xlabel(STATISTIC_LABELS.get(statistic, statistic.replace("_", " ")))
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    return fig


def figure_format(path: str | Path) -> str:
    """The format a chart file's suffix names (png, svg or pdf); E405 for any other, so a caller can check a
    chart's name before the work that draws it."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise InputError(Errors.E405.format(path=path, format=fmt or "(none)", allowed=", ".join(FIGURE_FORMATS)))
    return fmt


def save_figure(fig: Figure, path: str, *, dpi: int = 200) -> None:
    """Save a figure as PNG, SVG or PDF (by suffix) atomically, creating missing folders as other writers do;
    an existing link, pipe or device is refused (E417), as by every other writer."""
    from .._atomic import atomic_path

    p = Path(path)
    fmt = figure_format(p)
    try:
        with atomic_path(p) as tmp, missing_glyphs_reported(p):
            fig.savefig(tmp, format=fmt, dpi=dpi)
    except OSError as exc:
        raise InputError(Errors.E407.format(path=p, detail=exc.strerror or exc)) from exc
