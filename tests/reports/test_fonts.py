"""Text is cut into runs by script, each set in a font that has its glyphs; markup is escaped."""

from __future__ import annotations

from dermdesk.reports.fonts import BASE, CJK, HANGUL, markup, runs, text_width


def test_runs_follow_the_script_and_keep_spaces_and_punctuation_where_the_font_has_them() -> None:
    assert runs("Ærøskøbing Ольга 김민준 王小明 やまだ, 1980") == [
        (BASE, "Ærøskøbing Ольга "),
        (HANGUL, "김민준 "),
        (CJK, "王小明 やまだ"),
        (BASE, ", 1980"),  # Droid Sans Fallback has no Latin comma: back to DejaVu
    ]
    assert runs("") == []
    assert runs("Ada Lovelace") == [(BASE, "Ada Lovelace")]


def test_markup_escapes_text_and_switches_fonts() -> None:
    text = markup("<b>Ли</b> & 김\nnext")
    assert text == f'&lt;b&gt;Ли&lt;/b&gt; &amp; <font name="{HANGUL}">김</font><br/>next'
    assert text_width("김민준", 10) > text_width("ab", 10) > 0
