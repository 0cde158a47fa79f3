"""Cells of exported CSV files that a spreadsheet would run as a formula are neutralised.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and tab or carriage return can hide such a start (OWASP "CSV
injection"). Such a text cell gets a leading apostrophe: spreadsheets show it as text, and
a script that reads the file gets the original back by removing that one character. Text
that already starts with an apostrophe gets one more, so that removing one leading
apostrophe always gives the original. Numbers are written as they are: ``-3.5`` is a number,
not a formula.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def spreadsheet_safe(value: object) -> object:
    """``value`` as it may be written to a CSV cell.

    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe(-3.5)
    ('\\'=HYPERLINK("http://x")', -3.5)
    """
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, ESCAPE)):
        return ESCAPE + value
    return value


def original(cell: str) -> str:
    """The text a neutralised cell stood for (the inverse of :func:`spreadsheet_safe`).

    >>> original("'=1+2"), original("''quoted"), original("plain")
    ('=1+2', "'quoted", 'plain')
    """
    return cell[1:] if cell.startswith(ESCAPE) else cell
