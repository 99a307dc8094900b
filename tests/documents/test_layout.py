"""Line breaking shared by all documents."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from asan_queue.documents import default_font_dir, register_fonts
from asan_queue.documents.fonts import BOLD, REGULAR
from asan_queue.documents.layout import Flow, wrap_text


@pytest.fixture(autouse=True, scope="module")
def fonts() -> None:
    register_fonts(default_font_dir())


def test_short_text_stays_on_one_line() -> None:
    assert wrap_text("Növbə bileti", REGULAR, 10, 200) == ["Növbə bileti"]


def test_breaks_at_spaces_within_the_width() -> None:
    text = "Şəxsiyyət vəsiqəsinin verilməsi və dəyişdirilməsi üçün müraciət"
    lines = wrap_text(text, BOLD, 12, 120)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(stringWidth(line, BOLD, 12) <= 120 for line in lines)


def test_cuts_a_word_longer_than_the_line() -> None:
    word = "https://queue.example.az/book/manage/Zk81bQxW3nP0aLr9Zk81bQxW3nP0aLr9"
    lines = wrap_text(word, REGULAR, 10, 100)
    assert "".join(lines) == word
    assert all(stringWidth(line, REGULAR, 10) <= 100 for line in lines)


def test_keeps_explicit_newlines() -> None:
    assert wrap_text("Gəncə\nAtatürk pr. 1", REGULAR, 10, 300) == ["Gəncə", "Atatürk pr. 1"]


def test_row_wraps_the_label_next_to_its_value() -> None:
    flow = Flow(100)
    flow.row("Təxmini gözləmə müddəti dəqiqələrlə", "~120 dəq", size=10, value_size=13)
    lines = flow.layout().text_lines()
    value = lines[0]
    assert value.text == "~120 dəq"
    assert value.left + value.width == pytest.approx(100)
    labels = lines[1:]
    assert len(labels) > 1
    assert all(label.left + label.width < value.left for label in labels)
