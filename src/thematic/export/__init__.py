"""Exports: the Word quote appendix, the tables workbook, CSV/Parquet/XLSX tables, Markdown quotes (and REFI-QDA).

Submodules are imported where used, so importing thematic stays fast.
"""
