"""Jupyter helpers: the coding widget (needs the optional extra ``pip install "thematic[notebook]"``).

ipywidgets is imported only when a widget is built, so ``import thematic`` stays light.
"""

from .widget import CodingWidget, coding_widget

__all__ = ["CodingWidget", "coding_widget"]
