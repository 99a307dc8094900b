"""Numbers and ticket letters as words in az, ru and en, for the hall's announcements.

Speech engines read digits badly across languages (espeak-ng's Russian voice switches to
English for a Latin letter, leading zeros are read out), so every announcement is spoken
from words: "B017" at counter 5 is "be on yeddi ... beş" in az, "бэ семнадцать ... пять" in
ru and "B seventeen ... five" in en."""

from __future__ import annotations

_AZ_UNITS = ["", "bir", "iki", "üç", "dörd", "beş", "altı", "yeddi", "səkkiz", "doqquz"]
_AZ_TENS = ["", "on", "iyirmi", "otuz", "qırx", "əlli", "altmış", "yetmiş", "səksən", "doxsan"]

_RU_UNITS = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_RU_TEENS = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
]
_RU_TENS = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
]
_RU_HUNDREDS = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
]

_EN_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

ZERO = {"az": "sıfır", "ru": "ноль", "en": "zero"}
MAX = 999_999

# How each language names the Latin letters of ticket prefixes.
LETTERS = {
    "az": dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "a be ce de e ef ge he i je ka el em en o pe qe er es te u ve dabl-ve xe ye ze".split(),
            strict=True,
        )
    ),
    "ru": dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                "а бэ цэ дэ е эф гэ аш и жи ка эль эм эн о пэ ку эр эс тэ у вэ дубль-вэ"
                " икс игрек зэт"
            ).split(),
            strict=True,
        )
    ),
    # The English voice says a lone capital as its letter name, except "A" (read as the
    # article): that one is spelt out.
    "en": {"A": "eigh"},
}


def _az_below_1000(n: int) -> list[str]:
    out: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        out += ["yüz"] if hundreds == 1 else [_AZ_UNITS[hundreds], "yüz"]
    tens, units = divmod(rest, 10)
    out += [w for w in (_AZ_TENS[tens], _AZ_UNITS[units]) if w]
    return out


def _az(n: int) -> list[str]:
    thousands, rest = divmod(n, 1000)
    out: list[str] = []
    if thousands:
        out += ["min"] if thousands == 1 else [*_az_below_1000(thousands), "min"]
    return out + _az_below_1000(rest)


def _ru_below_1000(n: int, *, feminine: bool = False) -> list[str]:
    hundreds, rest = divmod(n, 100)
    out = [_RU_HUNDREDS[hundreds]] if hundreds else []
    tens, units = divmod(rest, 10)
    if tens == 1:
        return [*out, _RU_TEENS[units]]
    if tens:
        out.append(_RU_TENS[tens])
    if units:
        word = _RU_UNITS[units]
        if feminine and units in (1, 2):
            word = "одна" if units == 1 else "две"
        out.append(word)
    return out


def _ru_thousands(n: int) -> str:
    if n % 100 in range(11, 20) or n % 10 in (0, 5, 6, 7, 8, 9):
        return "тысяч"
    return "тысяча" if n % 10 == 1 else "тысячи"


def _ru(n: int) -> list[str]:
    thousands, rest = divmod(n, 1000)
    out: list[str] = []
    if thousands:
        out += [*_ru_below_1000(thousands, feminine=True), _ru_thousands(thousands)]
    return out + _ru_below_1000(rest)


def _en_below_100(n: int) -> str:
    if n < 10:
        return _EN_UNITS[n]
    if n < 20:
        return _EN_TEENS[n - 10]
    tens, units = divmod(n, 10)
    return _EN_TENS[tens] + (f"-{_EN_UNITS[units]}" if units else "")


def _en_below_1000(n: int, *, joined: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    out = [_EN_UNITS[hundreds], "hundred"] if hundreds else []
    if rest:
        if hundreds or joined:
            out.append("and")
        out.append(_en_below_100(rest))
    return out


def _en(n: int) -> list[str]:
    thousands, rest = divmod(n, 1000)
    out: list[str] = []
    if thousands:
        out += [*_en_below_1000(thousands, joined=False), "thousand"]
    if rest:
        out += _en_below_1000(rest, joined=bool(thousands) and rest < 100)
    return out


_SPELLERS = {"az": _az, "ru": _ru, "en": _en}


def number_words(n: int, lang: str) -> str:
    """`n` (0..999999) in words: number_words(17, "az") == "on yeddi"."""
    if lang not in _SPELLERS:
        raise ValueError(f"no number words for {lang!r}")
    if not 0 <= n <= MAX:
        raise ValueError(f"{n} is out of range 0..{MAX}")
    if n == 0:
        return ZERO[lang]
    return " ".join(_SPELLERS[lang](n))


def letter_words(letters: str, lang: str) -> str:
    """A ticket prefix spelt letter by letter in `lang` ("AB" -> "a be" in az)."""
    names = LETTERS.get(lang, {})
    return " ".join(names.get(c, c) for c in letters.upper())


def ticket_words(number: str, lang: str) -> str:
    """A ticket number as it is said: "B017" -> "be on yeddi" (az), "бэ семнадцать" (ru)."""
    head = number.rstrip("0123456789")
    digits = number[len(head) :]
    parts = [letter_words(head, lang)] if head else []
    if digits:
        parts.append(number_words(int(digits), lang))
    return " ".join(parts)
