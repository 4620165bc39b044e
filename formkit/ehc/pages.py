"""Pages the evidence pack draws itself with matplotlib: the progress chart, and
the footer laid over every page ("Confidential – R.C. – evidence pack page 3 of
17"). Text is embedded as TrueType, so the PDF's text can be searched and read.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

A4 = (595.28, 841.89)
"""A4 portrait in PDF points."""
POINTS_PER_INCH = 72.0


def _pyplot():
    import logging

    import matplotlib

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # Carlito's font header dates from 1970; harmless

    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42
    matplotlib.rcParams["svg.fonttype"] = "none"
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    names = {f.name for f in font_manager.fontManager.ttflist}
    matplotlib.rcParams["font.family"] = ["Carlito"] if "Carlito" in names else ["DejaVu Sans"]
    return plt


@dataclass(frozen=True)
class Series:
    """One target's line on the chart: its label and (term, achieved %) points;
    ``baseline`` is drawn before the first term when it is known."""

    label: str
    points: tuple[tuple[str, float], ...]
    baseline: float | None = None


def progress_chart(series: Sequence[Series], terms: Sequence[str], title: str) -> tuple[bytes, bytes]:
    """An A4 page (PDF) and the same chart as a picture (PNG): each target's
    achieved % at each term's review, its baseline first, 0-100%."""
    plt = _pyplot()
    fig = plt.figure(figsize=(A4[0] / POINTS_PER_INCH, A4[1] / POINTS_PER_INCH))
    axes = fig.add_axes((0.12, 0.45, 0.8, 0.45))
    columns = ["Baseline", *terms]
    for number, line in enumerate(series, 1):
        xs, ys = [], []
        if line.baseline is not None:
            xs.append(0)
            ys.append(line.baseline)
        for term, value in line.points:
            xs.append(columns.index(term))
            ys.append(value)
        axes.plot(xs, ys, marker="o", linewidth=2, label=f"Target {number}")
    axes.set_xticks(range(len(columns)), columns)
    axes.set_xlim(-0.3, len(columns) - 0.7)
    axes.set_ylim(0, 105)
    axes.set_ylabel("Achieved %")
    axes.grid(axis="y", color="#D9D9D9")
    if series:
        axes.legend(loc="lower right")
    else:
        axes.text(0.5, 0.5, "No reviews yet", ha="center", va="center", transform=axes.transAxes)
    fig.text(0.12, 0.94, title, fontsize=15, fontweight="bold", color="#1F3864")
    key = [f"Target {n}: {textwrap.shorten(s.label, 110)}" for n, s in enumerate(series, 1)]
    fig.text(0.12, 0.40, "\n".join(key), fontsize=9, va="top", wrap=True)
    pdf, png = io.BytesIO(), io.BytesIO()
    fig.savefig(pdf, format="pdf", metadata={"Creator": "formkit", "Producer": "formkit"})
    fig.savefig(png, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return pdf.getvalue(), png.getvalue()


def footers(sizes: Sequence[tuple[float, float]], text: str) -> bytes:
    """A PDF with one transparent page per size (width, height in points), each
    with ``text`` and its page number ("... page 3 of 17") at the foot, to lay
    over the pack's pages."""
    from matplotlib.backends.backend_pdf import PdfPages

    plt = _pyplot()
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Creator": "formkit", "Producer": "formkit"}) as pages:
        for number, (width, height) in enumerate(sizes, 1):
            fig = plt.figure(figsize=(width / POINTS_PER_INCH, height / POINTS_PER_INCH))
            fig.patch.set_alpha(0)
            fig.text(0.5, 9 / height, f"{text} \u2013 evidence pack page {number} of {len(sizes)}", ha="center",
                     va="bottom", fontsize=7.5, color="#595959")
            pages.savefig(fig, transparent=True)
            plt.close(fig)
    return buffer.getvalue()


__all__ = ["A4", "Series", "footers", "progress_chart"]
