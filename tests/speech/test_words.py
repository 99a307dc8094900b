"""Numbers and ticket letters as the hall says them, in az, ru and en."""

from __future__ import annotations

import pytest

from asan_queue.speech import announcement_text, number_words, ticket_words


@pytest.mark.parametrize(
    ("n", "az", "ru", "en"),
    [
        (0, "sıfır", "ноль", "zero"),
        (1, "bir", "один", "one"),
        (2, "iki", "два", "two"),
        (5, "beş", "пять", "five"),
        (10, "on", "десять", "ten"),
        (12, "on iki", "двенадцать", "twelve"),
        (17, "on yeddi", "семнадцать", "seventeen"),
        (20, "iyirmi", "двадцать", "twenty"),
        (40, "qırx", "сорок", "forty"),
        (99, "doxsan doqquz", "девяносто девять", "ninety-nine"),
        (100, "yüz", "сто", "one hundred"),
        (101, "yüz bir", "сто один", "one hundred and one"),
        (250, "iki yüz əlli", "двести пятьдесят", "two hundred and fifty"),
        (
            999,
            "doqquz yüz doxsan doqquz",
            "девятьсот девяносто девять",
            "nine hundred and ninety-nine",
        ),
        (1000, "min", "одна тысяча", "one thousand"),
        (1005, "min beş", "одна тысяча пять", "one thousand and five"),
        (2021, "iki min iyirmi bir", "две тысячи двадцать один", "two thousand and twenty-one"),
        (5000, "beş min", "пять тысяч", "five thousand"),
        (11000, "on bir min", "одиннадцать тысяч", "eleven thousand"),
    ],
)
def test_number_words(n: int, az: str, ru: str, en: str) -> None:
    assert number_words(n, "az") == az
    assert number_words(n, "ru") == ru
    assert number_words(n, "en") == en


def test_out_of_range_and_unknown_language_are_refused() -> None:
    with pytest.raises(ValueError):
        number_words(-1, "az")
    with pytest.raises(ValueError):
        number_words(1_000_000, "az")
    with pytest.raises(ValueError):
        number_words(3, "de")


def test_ticket_numbers_drop_leading_zeros_and_name_the_letters() -> None:
    assert ticket_words("B002", "az") == "be iki"
    assert ticket_words("B002", "ru") == "бэ два"  # not the English "bee"
    assert ticket_words("B002", "en") == "B two"
    assert ticket_words("A017", "en") == "eigh seventeen"  # a lone "A" is read as the article
    assert ticket_words("AB100", "az") == "a be yüz"


def test_the_announcement_speaks_numbers_as_words() -> None:
    assert (
        announcement_text("az", "B002", 5) == "be iki nömrəli bilet, beş nömrəli masaya yaxınlaşın"
    )
    assert announcement_text("ru", "B002", 5) == "Билет номер бэ два, пройдите к окну пять"
    assert announcement_text("en", "B002", 5) == "Ticket B two, please go to counter five"
