"""Quantities: every number that quantifies something, parsed exactly.

The `claim_quantities` component scans the article text (not the tokens: "3.5bn",
"KN-23" and "10-12" tokenise unhelpfully) for numbers written in digits or words,
attaches scale words, currencies, percent signs, qualifiers ("about", "more
than") and ranges ("between 10 and 15 billion"), then uses the parse of the
sentence to drop what is not a quantity (years, dates, times, ordinals, numbers
inside names and designators, "one" as a pronoun) and to find what is counted.

Each quantity is a `Quantity` record in `doc._.quantities`; `doc.spans["quantities"]`
holds the token spans that cover them, for displaCy and for the later stages.
quantulum3 is consulted only on the few words after a number, for units our
lexicon does not know.
"""

from __future__ import annotations

import json
import re
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (registers doc._.quantities and the others)
from .counting import Counting, CountReader, load_counting, number_token
from .doctext import doc_text, sent_of, token_index_at
from .lexicons import cached_per_file, check_keys, read_json, save_files
from .resources import model_path


class Quantity(NamedTuple):
    start: int  # character offsets of the number as written, qualifier included
    end: int
    text: str
    value: float
    value_max: float | None
    qualifier: str  # exact approx at_least more_than at_most less_than range
    unit: str | None
    vague: bool
    change: str | None  # up | down | None
    subject: str | None
    num_start: int  # offsets of the bare number (without qualifier), for context
    num_end: int
    counted: str | None = None  # the noun it counts, lower case ("children" in "40 children were killed")

    def columns(self) -> dict:
        """Its columns in the quantities and claims tables (docs/schema.md), in their order."""
        return {
            "start": self.start,
            "end": self.end,
            "quantity_text": self.text,
            "value": self.value,
            "value_max": self.value_max,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "counted": self.counted,
            "vague": self.vague,
            "change": self.change,
            "subject": self.subject,
        }


# ---------------------------------------------------------------- lexicon

UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
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
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUE = {w: i for i, w in enumerate(UNITS)}
WORD_VALUE.update({w: 20 + 10 * i for i, w in enumerate(TENS)})
# a fraction word's denominator: "two-thirds" is 2 / 3, divided, so the float is the nearest to the
# exact share (0.6666666666666666, never a rounded 0.667; "three tenths" 0.3, not 3 * 0.1)
FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "tenths": 10,
}
WORD_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}


@dataclass
class Lexicon:
    qualifiers: dict[str, list[str]]
    suffix_qualifiers: dict[str, str]
    scales: dict[str, float]
    scale_letters_after_currency: dict[str, float]
    scale_letters_anywhere: dict[str, float]
    currencies: dict[str, str]
    currency_words: dict[str, str]
    percent_words: list[str]
    unit_aliases: dict[str, str]
    vague: dict[str, float]
    vague_prefixes: dict[str, str]
    time_units: list[str]
    time_locating_words: list[str]
    calibre_units: list[str]
    designator_heads: list[str]
    months: list[str]
    year_prepositions: list[str]
    change_up: list[str]
    change_down: list[str]
    glued_units: dict[str, str] = field(default_factory=dict)
    scale_letters_before_noun: dict[str, float] = field(default_factory=dict)
    metre_context: list[str] = field(default_factory=list)
    model_suffixes: list[str] = field(default_factory=list)
    share_determiners: list[str] = field(default_factory=list)
    amount_nouns: list[str] = field(default_factory=list)
    calibre_nouns: list[str] = field(default_factory=list)
    street_types: list[str] = field(default_factory=list)
    compound_designators: list[str] = field(default_factory=list)
    vague_magnitudes: list[str] = field(default_factory=list)
    vague_prefix_counts: dict[str, float] = field(default_factory=dict)
    fraction_measures: list[str] = field(default_factory=list)
    duration_words: list[str] = field(default_factory=list)
    motion_before_up_to: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    spaced_thousands_before: list[str] = field(default_factory=list)
    not_name_words: list[str] = field(default_factory=list)
    one_pronoun_next: list[str] = field(default_factory=list)
    one_pronoun_before: list[str] = field(default_factory=list)
    one_counts_next: list[str] = field(default_factory=list)
    next_century_prepositions: list[str] = field(default_factory=list)
    may_day_prepositions: list[str] = field(default_factory=list)
    range_change_words: list[str] = field(default_factory=list)
    not_unit_words: list[str] = field(default_factory=list)
    regexes: dict = field(default_factory=dict)  # compiled from the lists above, not read from the file


# the shape of each key of quantities.json, from the annotations of Lexicon
_SHAPES = {
    "list[str]": "words",
    "dict[str, str]": "str->str",
    "dict[str, float]": "str->number",
    "dict[str, list[str]]": "str->words",
}


def _lexicon_keys() -> tuple[dict[str, str], tuple[str, ...]]:
    shapes = {f.name: _SHAPES[f.type] for f in fields(Lexicon) if f.name != "regexes"}
    required = tuple(f.name for f in fields(Lexicon) if f.default is MISSING and f.default_factory is MISSING)
    return shapes, required


@cached_per_file("quantities.json")
def load_lexicon(path: str) -> Lexicon:
    """The lexicon of `path` (models/quantities.json by default), checked: an unknown key, a
    missing one or a value of the wrong shape is a LexiconError naming the file and the key."""
    p = Path(path)
    shapes, required = _lexicon_keys()
    lex = Lexicon(**check_keys(read_json(p), p, shapes, required))
    lex.regexes = _compile(lex)
    return lex


def _alt(words) -> str:
    # called per candidate with the lexicon's word lists: built once per list
    return _alt_of(tuple(words))


@lru_cache(maxsize=256)
def _alt_of(words: tuple) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _suffix_alt(suffixes) -> str:
    # "or so" is written after a space ("300 or so"), "-odd" against the number ("300-odd")
    return "|".join(
        (r"\s+" if w[:1].isalpha() else "") + re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(suffixes, key=len, reverse=True)
    )


def suffix_qualifier(lex: Lexicon, written: str) -> str:
    """The qualifier a suffix written after a number gives it ("or so" -> approx)."""
    return lex.suffix_qualifiers[re.sub(r"\s+", " ", written.strip().lower())]


def _compile(lex: Lexicon) -> dict:
    """The regexes built from the lexicon's word lists (Lexicon.regexes), by name."""
    return {**_number_regexes(lex), **_qualifier_and_range_regexes(lex), **_context_regexes(lex)}


def _number_regexes(lex: Lexicon) -> dict:
    """Reading a number and what is written on it: digits or words, scale, currency, sign,
    ratio, fraction, percent."""
    numword = _alt(UNITS + TENS + list(WORD_SCALES) + list(FRACTIONS) + ["dozen", "a", "an", "and"])
    # A run of number words: parsed and trimmed by _parse_words.
    # The lookaheads in front change no match: the regex engine tries every position of the
    # text, and a failed one-character test is much cheaper than the lookbehinds after it.
    words = rf"(?=[a-z])(?<![\w-])(?:{numword})(?:(?:\s+|-)(?:{numword}|of(?=\s+an?\b)))*(?:(?!\w)|(?=fold\b))"
    # a currency code written against the digits ("USD10m", "RM3.06", "$US113") may precede them
    glued = "|".join(
        rf"(?<={re.escape(c)})"
        for c in sorted(lex.currencies, key=len, reverse=True)
        if c[-1].isalpha() and " " not in c
    )
    digits = rf"(?=\d)(?:(?<![\w.,:/])|{glued})(?:\d+(?:,\d+)+|\d+)(?:\.\d+)?(?![\d])|(?=\.)(?<![\w.,:/\d])\.\d+(?!\d)"
    scale = rf"(?:\s*(?:{_alt(lex.scales)})\b|\s+(?:{_alt(WORD_SCALES)})\b)(?:\s+(?:{_alt(WORD_SCALES)})\b)*"
    currency = rf"(?:{_alt(lex.currencies)})"
    return {
        "number": re.compile(rf"(?P<digits>{digits})|(?P<words>{words})", re.I),
        "scale": re.compile(scale, re.I),
        "letter_scale": re.compile(r"(?P<l>[mkbMKB])(?![\w])"),
        "count_letter_scale": re.compile(rf"(?P<sp> ?)(?P<l>{_alt(lex.scale_letters_before_noun)})(?![\w])"),
        "currency_before": re.compile(rf"(?<![A-Za-z])({currency})\s?$"),
        "glued_unit": re.compile(rf"(?i)({_alt(lex.glued_units)})(?![A-Za-z])"),
        "minus_before": re.compile(r"(?:(?<![\w.,])-|\bminus[\s-]|−)$", re.I),
        "out_of": re.compile(
            rf"\s+(?:out\s+of|in\s+every)\s+(?:every\s+)?(?:(?P<d>\d+(?:,\d{{3}})*)(?![\d.])|(?P<w>(?:{_alt(UNITS + TENS + list(WORD_SCALES))})(?:[\s-]+(?:{_alt(UNITS + TENS + list(WORD_SCALES))}))*)(?!\w))",
            re.I,
        ),
        # "1/2 pound", "1/16 of a US pint": a fraction before "of" or a measure word, not a date like 3/4
        "ascii_fraction": re.compile(
            rf"/(?P<d>[1-9]\d{{0,2}})(?![\d/])(?P<tail>\s+(?:of\b|(?:{_alt(lex.fraction_measures)})\b))", re.I
        ),
        "fold": re.compile(r"-?fold\b", re.I),
        "percent_after": re.compile(rf"\s?(?:{_alt(lex.percent_words)})(?![\w])", re.I),
    }


def _qualifier_and_range_regexes(lex: Lexicon) -> dict:
    """Qualifiers before and after a number, ranges, and vague counts."""
    return {
        "qual_before": {q: re.compile(rf"(?<![\w])(?:{_alt(ws)})\s*$", re.I) for q, ws in lex.qualifiers.items()},
        "suffix": re.compile(rf"^(?:{_suffix_alt(lex.suffix_qualifiers)})(?![\w])", re.I),
        "range_change_before": re.compile(rf"(?i)\b(?:{_alt(lex.range_change_words)})\s+(?:by\s+)?(?:from\s+)?$"),
        # (the lookahead in front: see "words" in _number_regexes)
        "vague": re.compile(
            rf"(?=[a-z])(?<![\w-])(?:(?P<pre>several|a\s+few|a\s+couple\s+of|many)\s+)?"
            rf"(?P<w>tens\s+of\s+thousands|hundreds\s+of\s+thousands|tens\s+of\s+millions|hundreds\s+of\s+millions|"
            rf"{_alt(lex.vague)}|dozen|hundred|thousand|million|billion)(?![\w-])"
            rf"(?P<more>(?:\s+(?:thousand|million|billion)(?![\w-]))*)",
            re.I,
        ),
        "unit_then_to": re.compile(rf"(?i)^\s*(?P<u>{_alt(lex.unit_aliases)})\s+(?:up\s+)?to\s*$"),
        "range_mid": re.compile(r"^\s*(?:-|–|—|to|or|and)\s*$", re.I),
    }


def _context_regexes(lex: Lexicon) -> dict:
    """The context tests of QuantityFinder and Exclusions (times, dates, units, names), and the
    identifiers and spaced thousands read whole."""
    return {
        "time": re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|BST\b|EST\b|ET\b|UTC\b|hrs\b|h\b(?!\w))", re.I),
        "ordinal": re.compile(r"^(?:st|nd|rd|th)\b", re.I),
        # The context tests of QuantityFinder, compiled here once: built per candidate, each
        # pattern string (a long alternation of lexicon words) cost more than the match.
        "motion_up_to": re.compile(rf"(?i)\b(?:{_alt(lex.motion_before_up_to)})\s+$"),
        "number_word_before": re.compile(rf"(?i)(?:\d|\b(?:{_alt(UNITS + TENS)}))[\s-]+$"),
        "time_unit_after": re.compile(rf"(?i)\s+(?:{_alt(lex.time_units)})\b"),
        "time_unit_of_after": re.compile(rf"(?i)\s+(?:{_alt(lex.time_units)})\s+of\b"),
        "month_day_and_before": re.compile(
            rf"(?i)\b(?:{_alt(lex.months)})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*(?:and|or|&|to|-|–)\s*$"
        ),
        "and_day_month_after": re.compile(
            rf"(?i)\s*(?:and|or|&|to|-|–)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_alt(lex.months)})\b"
        ),
        "unit_after": re.compile(rf"(?i)\s*-?(?:{_alt(lex.unit_aliases)})\b"),
        "calibre_after": re.compile(
            rf"\s?-?\s?(?:{_alt(lex.calibre_units)})\b(?!\s+of\b)(?:\s*[-–]?\s*)([A-Za-z]+)", re.I
        ),
        "calibre_noun": re.compile(rf"(?i)(?:[\w-]+\s+){{0,3}}(?:{_alt(lex.calibre_nouns)})\b"),
        "time_locating": re.compile(rf"\s+(?:{_alt(lex.time_units)})\s+(?:{_alt(lex.time_locating_words)})\b", re.I),
        "share_determiner_after": re.compile(rf"(?i)\s+(?:{_alt(lex.share_determiners)})\b"),
        "model_suffix_after": re.compile(rf"\s+(?:{_alt(lex.model_suffixes)})\b"),
        "street_after": re.compile(rf"\s+(?:[A-Z0-9][\w.]*\s+){{0,3}}(?:{_alt(lex.street_types)})\b(?!-)"),
        "compound_designator_after": re.compile(rf"-(?:{_alt(lex.compound_designators)})\b", re.I),
        "amount_of_before": re.compile(rf"(?i)\b(?:{_alt(lex.amount_nouns)})\s+of\s+$"),
        "currency_word_after": re.compile(rf"\s+(?:{_alt(lex.currency_words)})\b", re.I),
        "identifier": _identifier_regex(lex.identifiers),
        "spaced_thousands": re.compile(rf"(?:, \d{{3}})+(?=\s+(?:{_alt(lex.spaced_thousands_before)})\b)", re.I)
        if lex.spaced_thousands_before
        else None,
    }


def _identifier_regex(patterns: list[str]) -> re.Pattern | None:
    """The identifier patterns as one alternation, behind a lookahead for the characters their
    matches can start with (a digit, '+', '(', 'ISBN'): the scan skips every other position
    without trying each pattern there (3-5x less CPU). Matches are the same: the lookahead only
    fails where every pattern would. When a pattern's first character cannot be read off its
    parse, there is no lookahead."""
    if not patterns:
        return None
    alternation = "|".join(f"(?:{r})" for r in patterns)
    heads = []
    for r in patterns:
        parsed = re._parser.parse(r)
        found = _match_heads(list(parsed), parsed.state.flags)
        if found is None:
            return re.compile(alternation)
        heads += found
    plain = "".join(dict.fromkeys(c for c, folded in heads if not folded))
    folded = "".join(dict.fromkeys(c for c, f in heads if f))
    ahead = "|".join(([f"[{plain}]"] if plain else []) + ([f"(?i:[{folded}])"] if folded else []))
    return re.compile(f"(?={ahead})(?:{alternation})")


def _match_heads(items: list, flags: int) -> list[tuple[str, bool]] | None:
    """The character-class contents (and whether case is ignored) of which the first character
    of any match of the parsed pattern `items` is in; None when unknown (the match could be
    empty, or an element this does not read comes first)."""
    c = re._constants
    categories = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_WORD: r"\w", c.CATEGORY_SPACE: r"\s"}
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: \b, lookbehinds
        folded = bool(flags & re.IGNORECASE)
        if op is c.LITERAL:
            return [(re.escape(chr(av)), folded)]
        if op is c.IN:
            members = []
            for kind, value in av:
                if kind is c.LITERAL:
                    members.append(re.escape(chr(value)))
                elif kind is c.RANGE:
                    members.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif kind is c.CATEGORY and value in categories:
                    members.append(categories[value])
                else:
                    return None  # a negated class, a category not listed
            return [("".join(members), folded)]
        if op is c.SUBPATTERN:
            _group, add, remove, sub = av
            return _match_heads(list(sub), (flags | add) & ~remove)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            return _match_heads(list(av[2]), flags)
        if op is c.BRANCH:
            alternatives = [_match_heads(list(a), flags) for a in av[1]]
            return None if None in alternatives else [h for a in alternatives for h in a]
        return None
    return None  # nothing that consumes a character


# ---------------------------------------------------------------- parsing numbers


def _parse_words(text: str) -> tuple[float, int] | None:
    """Value of the longest leading number-word phrase in `text`, and its length in characters.

    Handles "two hundred", "forty-three", "three-and-a-half million",
    "a quarter of a million", "two-thirds", "a dozen". Returns None when the
    text does not start with a number.
    """
    toks = [(m.group(0).lower(), m.end()) for m in re.finditer(r"[A-Za-z]+", text)]
    st = _WordNumber()
    i = 0
    while i < len(toks):
        w, e = toks[i]
        i += 1
        if w in ("a", "an"):
            st.pending_a = True
            continue
        if w == "and" and st.seen:
            # "three and a half", "one hundred and five"; not "one and two" (a range)
            nxt = toks[i][0] if i < len(toks) else ""
            if nxt in ("a", "an") or (st.current >= 100 and nxt in WORD_VALUE):
                continue
            break
        if w == "of" and st.frac_of is not None:
            continue
        if not st.take(w, e):
            break
    if not st.seen:
        return None
    return st.total + st.current, st.end


class _WordNumber:
    """The value of a number-word phrase as `_parse_words` reads it, word by word."""

    def __init__(self):
        self.total, self.current, self.seen, self.end = 0.0, 0.0, False, 0
        self.pending_a = False  # "a" / "an" counts only before a scale, a fraction or "dozen"
        self.frac_of = None  # "a quarter of a million"

    def take(self, w: str, e: int) -> bool:
        """Add the word ending at `e` to the number; False when the number ends before it."""
        if w in WORD_VALUE and not (self.seen and self.current % 100 and self.current % 10 == 0 and w in TENS):
            ok = self._unit(WORD_VALUE[w])
        elif w == "dozen" or w == "dozens" and not self.seen:
            self.current, ok = (self.current or 1) * 12, True
        elif w in FRACTIONS:
            ok = self._fraction(w)
        elif w in WORD_SCALES:
            ok = self._scale(WORD_SCALES[w])
        else:
            ok = False
        if ok:
            self.seen, self.pending_a, self.end = True, False, e
        return ok

    def _unit(self, v: int) -> bool:
        current, seen = self.current, self.seen
        if seen and current and current % 10 == 0 and v < 10 and current >= 20 and current % 100:
            self.current += v  # twenty three
        elif seen and current and (current % 100 == 0) and current >= 100 and v < 100:
            self.current += v  # hundred five
        elif seen and current:
            return False  # "two three": two numbers
        else:
            self.current += v
        return True

    def _fraction(self, w: str) -> bool:
        if self.frac_of is not None:
            return False  # "fourth quarter", "third quarter": a rank and a period
        if self.seen and self.current >= 1 and w in ("half",) and self.pending_a:
            self.current += 0.5  # "three and a half"
        elif self.seen and self.current:
            self.current = self.current / FRACTIONS[w]  # "two thirds"
        elif self.pending_a or not self.seen:
            self.current = 1 / FRACTIONS[w]
            self.frac_of = self.current
        return True

    def _scale(self, s: int) -> bool:
        if not self.seen and not self.pending_a:
            return False
        if not self.seen:
            self.current = 1
        if self.frac_of is not None and s > 100:
            self.current = self.frac_of * s
            self.frac_of = None
        elif s == 100:
            self.current = (self.current or 1) * 100
        else:
            self.total += (self.current or 1) * s
            self.current = 0
        return True


def _digits_value(s: str) -> float:
    return float(s.replace(",", ""))


# ---------------------------------------------------------------- the scanner


class _Num(NamedTuple):
    start: int
    end: int
    value: float
    kind: str  # digits | words
    scaled: bool
    unit: str | None  # usd, percent ... when marked on the number itself


def _letter_scales_count(text: str, lm: re.Match, lex: Lexicon) -> bool:
    """Whether a letter after bare digits is a scale ("1.2m tons", "4.3M sales", "8 B people"),
    not a unit ("37m (121ft)", "a 100m sprint", "10m tall"): lower-case words follow, the first
    is "of" or, for an upper-case letter, anything but a measure word; a lower-case "m" also
    needs a plural noun among the next few words."""
    m = re.match(r"\s+((?:[a-z][a-z-]*\s+){0,4}[a-z][a-z-]*)", text[lm.end() :])
    if not m:
        return False
    words = m.group(1).split()
    if words[0] in lex.metre_context:
        return False
    if words[0] == "of" or lm.group("l").isupper():
        return True
    return any(w.endswith("s") and not w.endswith("ss") and w not in lex.metre_context for w in words)


@dataclass
class _Reading:
    """A number as `_scan_numbers` reads it, before it becomes a `_Num`."""

    start: int
    end: int
    value: float
    kind: str  # digits | words
    unit: str | None = None
    scaled: bool = False


def _scan_numbers(text: str, lex: Lexicon) -> list[_Num]:
    """Every number written in the text, in digits or words, with the currency, scale, notation,
    share, percent or unit written on it."""
    rx = lex.regexes
    out: list[_Num] = []
    pos = 0
    while True:
        m = rx["number"].search(text, pos)
        if m is None:
            break
        pos = m.end()
        r = _read_digits(m, text, rx) if m.group("digits") else _read_words(m, text)
        if r is None:
            continue
        cm = _currency_before(r, text, lex)
        _scale_after(r, text, lex)
        if (
            cm
            and text[r.start + len(cm.group(0)) - 1 : r.start + len(cm.group(0))].isalpha()
            and not r.scaled
            and re.fullmatch(r"\d", text[r.start + len(cm.group(0)) : r.end])
        ):
            continue  # a code against one digit names a thing: "PS4", "RM1"
        if r.kind == "digits" and not r.scaled:
            _notation_after(r, text, lex, out, m.group(0))
        _share_or_unit_after(r, text, lex)
        out.append(_Num(r.start, r.end, r.value, r.kind, r.scaled, r.unit))
        # a run of number words may hold more than one number: "two and one package"
        pos = r.end if r.kind == "words" and re.match(r"\s+and\s", text[r.end : m.end()]) else max(pos, r.end)
    return out


def _read_digits(m: re.Match, text: str, rx: dict) -> _Reading:
    start, end, digits = m.start(), m.end(), m.group("digits")
    value = _digits_value(digits)
    st = (
        rx["spaced_thousands"].match(text, end)
        if rx["spaced_thousands"]
        and re.fullmatch(r"\d{1,3}", digits)
        and not re.search(r"\d,\s?$", text[max(0, start - 6) : start])
        else None
    )
    if st:  # "crosses 15, 200 mark": 15,200
        end = st.end()
        value = _digits_value(text[start:end].replace(" ", ""))
    return _Reading(start, end, value, "digits")


def _read_words(m: re.Match, text: str) -> _Reading | None:
    words, start = m.group("words"), m.start()
    parsed = _parse_words(words)
    if parsed is None and not re.match(r"and\s+", words, re.I):
        return None
    value, length = parsed or (0, 0)
    if re.match(r"and\s+", words, re.I):
        # "two sons and three daughters": the second number starts after "and"
        rest = re.sub(r"^and\s+", "", words, flags=re.I)
        parsed = _parse_words(rest)
        if parsed is None:
            return None
        start += len(words) - len(rest)
        value, length = parsed
    lead = re.match(r"(?:an?|and)\s+", text[start : m.end()], re.I)
    end = start + length
    if lead and length <= lead.end():
        return None
    # the word after the article, read from the text: `start` may have moved past a leading "and"
    word = re.match(r"[A-Za-z]+", text[start + lead.end() : m.end()]) if lead else None
    if word and word.group(0).lower() in WORD_VALUE:
        start += lead.end()  # "an eight-page insert": the article is not part of it
    return _Reading(start, end, value, "words")


def _currency_before(r: _Reading, text: str, lex: Lexicon) -> re.Match | None:
    """A currency symbol or code before the number, taken into it."""
    cm = lex.regexes["currency_before"].search(text[max(0, r.start - 5) : r.start])
    if cm:
        r.unit = lex.currencies.get(cm.group(1)) or lex.currencies.get(cm.group(1).replace(" ", ""), "usd")
        r.start = r.start - len(cm.group(0))
    return cm


def _scale_after(r: _Reading, text: str, lex: Lexicon) -> None:
    """A scale word or letter after the number ("4 hundred million", "$3.5bn", "25k", "1.2m tons")."""
    rx = lex.regexes
    sm = rx["scale"].match(text, r.end)
    if sm:
        # "4 hundred million": each scale word multiplies
        for word in sm.group(0).lower().split():
            r.value *= lex.scales.get(word, WORD_SCALES.get(word, 1))
        r.end, r.scaled = sm.end(), True
    elif r.kind == "digits":
        lm = rx["letter_scale"].match(text, r.end)
        if lm and (r.unit or lm.group("l") in lex.scale_letters_anywhere):
            r.value *= (
                lex.scale_letters_after_currency.get(lm.group("l").lower(), 1)
                if r.unit
                else lex.scale_letters_anywhere[lm.group("l")]
            )
            r.end, r.scaled = lm.end(), True
        elif not r.unit:
            lm = rx["count_letter_scale"].match(text, r.end)
            if lm and (not lm.group("sp") or lm.group("l").isupper()) and _letter_scales_count(text, lm, lex):
                r.value *= lex.scale_letters_before_noun[lm.group("l")]
                r.end, r.scaled = lm.end(), True


def _notation_after(r: _Reading, text: str, lex: Lexicon, out: list[_Num], written: str) -> None:
    """Scientific notation ("2.998×10−8") or a fraction ("1⁄32", "1/16 of a pint", "2 1/2 cups", the
    whole number before it taken from `out`) written on bare digits (`written`: the digits as matched)."""
    end = r.end
    em = re.match(r"\s?[×x]\s?10\^?([−-]?\d{1,3})(?!\d)", text[end : end + 12])
    fm = re.match(r"⁄(\d+)(?![\d.,])", text[end : end + 8])
    if em:  # scientific notation: "2.998×10−8"
        r.value *= 10.0 ** int(em.group(1).replace("−", "-"))
        r.end, r.scaled = end + em.end(), True
    elif fm and int(fm.group(1)):  # "1⁄32", written with the fraction slash
        r.value, r.unit = r.value / int(fm.group(1)), "fraction"
        r.end += fm.end()
    else:
        am = lex.regexes["ascii_fraction"].match(text, end)
        if am and "." not in written and "," not in written and 0 < r.value < int(am.group("d")):
            # "1/16 of a pint" is a share; "1/2 pound" a measure, named by the word after it
            r.value = r.value / int(am.group("d"))
            r.unit = "fraction" if am.group("tail").strip().lower() == "of" else None
            r.end += len(am.group(0)) - len(am.group("tail"))
            if (
                out
                and out[-1].kind == "digits"
                and out[-1].unit is None
                and re.fullmatch(r"\d+[ -]", text[out[-1].start : r.start])
            ):
                prev = out.pop()  # "2 1/2 cups": a mixed number
                r.value, r.start = prev.value + r.value, prev.start


def _share_or_unit_after(r: _Reading, text: str, lex: Lexicon) -> None:
    """What is written after the number that makes it a multiplier ("sixfold"), a share ("one out of
    three"), a percentage, or a measure ("64GB"); and a minus sign before it."""
    rx = lex.regexes
    fold = rx["fold"].match(text, r.end)
    if fold and not r.unit:
        r.unit, r.end = "times", fold.end()  # "sixfold", "10-fold": a multiplier
    om = rx["out_of"].match(text, r.end)
    if om and not r.unit and not r.scaled:
        # "one out of three", "1 in every 1,000": a share
        denom = (
            _digits_value(om.group("d"))
            if om.group("d")
            else (WORD_SCALES.get(om.group("w").lower()) or (_parse_words(om.group("w")) or (0, 0))[0])
        )
        if denom and r.value < denom:
            r.value, r.end, r.unit = r.value / denom, om.end(), "fraction"
    pm = rx["percent_after"].match(text, r.end)
    if pm and not r.unit:
        r.unit, r.end = "percent", pm.end()
    elif r.kind == "digits" and not r.unit:
        gm = rx["glued_unit"].match(text, r.end)
        # a lone capital ("5G", "G7") names a thing, unless it is an SI symbol ("10W", "12V");
        # "45g" is grams; an "s" after a capitalised word makes a name plural ("Model 3s")
        if (
            gm
            and not (len(gm.group(1)) == 1 and gm.group(1).isupper() and gm.group(1) not in "WV")
            and not (gm.group(1) == "s" and _prev_word(text, r.start)[:1].isupper())
        ):
            r.unit = lex.glued_units[gm.group(1).lower()]
    mm = rx["minus_before"].search(text[max(0, r.start - 6) : r.start])
    if mm and r.kind == "digits":
        r.value, r.start = -r.value, r.start - len(mm.group(0))


def _qualifier_before(text: str, start: int, lex: Lexicon) -> tuple[str, int]:
    window = text[max(0, start - 40) : start]
    for q, rx in lex.regexes["qual_before"].items():
        m = rx.search(window)
        if m:
            if (
                q == "at_most"
                and re.match(r"(?i)up\b", m.group(0))
                and lex.regexes["motion_up_to"].search(window[: m.start()])
                and not re.search(r"(?i)\b(?:may|might|could|can|would|will|should|to)\s+\w+\s+$", window[: m.start()])
            ):
                continue  # "inching back up to 4.8 percent" moves to a level; "may go up to $20bn" caps
            return q, start - (len(window) - m.start())
    return "exact", start


@dataclass
class _Cand:
    start: int
    end: int
    value: float
    value_max: float | None
    qualifier: str
    unit: str | None
    vague: bool
    num_start: int
    num_end: int
    kind: str = "digits"
    scaled: bool = False


def _merge_ranges(nums: list[_Num], text: str, lex: Lexicon) -> list[_Cand]:
    """The candidates of the numbers: two joined as a range ("10 to 12 million", "between 15 and
    17"), else each alone."""
    cands: list[_Cand] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums):
            r = _range_of(nums, i, text, lex)
            if r is not None:
                cands.append(r)
                i += 2
                continue
        cands.append(_Cand(a.start, a.end, a.value, None, "exact", a.unit, False, a.start, a.end, a.kind, a.scaled))
        i += 1
    _share_scale_from_to(cands, text)
    return cands


def _range_of(nums: list[_Num], i: int, text: str, lex: Lexicon) -> _Cand | None:
    """The range nums[i] and nums[i + 1] make, or None when they are no range."""
    a, b = nums[i], nums[i + 1]
    mid, sep, between, changed = _range_separator(nums, i, text, lex)
    if not _joins_range(a, b, mid, sep, between, changed, text, lex):
        return None
    lo, hi = a.value, b.value
    factor = _scale_factor(b, text)
    if factor > 1 and _scale_factor(a, text) == 1 and lo < hi / factor and lo * factor < hi:
        lo = lo * factor  # "10 to 12 million", "four to five thousand"
    if not lo < hi:
        return None
    start = a.start
    if between and between.group(0).strip().lower() == "between":
        start = a.start - len(between.group(0))
    return _Cand(start, b.end, lo, hi, "range", a.unit or b.unit, False, a.start, b.end, a.kind, a.scaled or b.scaled)


def _range_separator(
    nums: list[_Num], i: int, text: str, lex: Lexicon
) -> tuple[str, str, re.Match | None, re.Match | None]:
    """What is written between nums[i] and nums[i + 1] (without a unit written on both), the
    separator it makes ("to", "or", "and", "-", "/"; "" for none), "between" before the first
    number, and a change word before it ("rose from") when that makes no range."""
    a, b = nums[i], nums[i + 1]
    mid = text[a.end : b.start]
    gm = lex.regexes["glued_unit"].match(mid)
    if gm and a.unit and a.unit == b.unit:
        mid = mid[gm.end() :]  # "between 15kHz and 17kHz"
    between = re.search(r"\bbetween\s+(?:[A-Za-z.]+\s+){0,3}$", text[max(0, a.start - 30) : a.start], re.I)
    from_ = re.search(r"\bfrom\s+$", text[max(0, a.start - 8) : a.start], re.I)
    changed = lex.regexes["range_change_before"].search(text[max(0, a.start - 25) : a.start])
    um = lex.regexes["unit_then_to"].match(mid)
    if from_ and not changed and um and re.match(rf"(?i)\s*{re.escape(um.group('u'))}\b", text[b.end :]):
        mid = mid[um.end("u") :]  # "from 450 sq ft up to 900 sq ft": a span of sizes
    sep = re.sub(r"^up\s+to$", "to", re.sub(r"^-?to-?$", "to", mid.strip().lower()))
    if sep in ("to", "or", "and") and i + 2 < len(nums) and re.fullmatch(r"[-–]", text[b.end : nums[i + 2].start]):
        sep = ""  # "from 24.2 to 33-35 billion": "33-35" binds first
    if (
        changed
        and sep == "to"
        and re.search(r"(?i)\bby\s+$", text[max(0, a.start - 4) : a.start])
        and mid.strip() == "to"
        and 0 < a.value < b.value <= 3 * a.value
    ):
        changed = None  # "fell by 1 to 1.5 degrees": the change is the range
    return mid, sep, between, changed


def _joins_range(
    a: _Num, b: _Num, mid: str, sep: str, between: re.Match | None, changed: re.Match | None, text: str, lex: Lexicon
) -> bool:
    """Whether the separator between a and b joins them as a range: not a change from one to the
    other, not a year then an amount."""
    ok = (
        not (changed and sep == "to")
        and (lex.regexes["range_mid"].match(mid) or sep in ("to", "/"))
        and (
            (sep in ("-", "–", "—") and "\n" not in mid and len(mid) <= 3)
            or sep == "to"
            or (sep == "or" and not _respectively_after(text, b.end))
            or (sep == "/" and a.unit and a.unit == b.unit and a.unit != "percent")  # "$7/$9"
            or (sep == "and" and between)
        )
    )
    if ok and sep == "to" and (a.unit == "percent") != (b.unit == "percent") and a.unit == "percent":
        return False  # "fell 4 percent to 28.30 yuan": a change and the level it reached
    if (
        ok
        and b.scaled
        and not a.scaled
        and a.kind == "digits"
        and re.fullmatch(r"(?:1[5-9]|20)\d\d", text[a.start : a.end])
    ):
        return False  # "in 2018 to 3.9 million": a year, then an amount
    return bool(ok)


def _share_scale_from_to(cands: list[_Cand], text: str) -> None:
    """ "rose from 5 to 7 million", "from 24.2 to 33-35 billion": a change (no range) still writes the
    scale once, so the first number takes the second's when that keeps them within a power of ten."""
    for x, y in zip(cands, cands[1:]):
        if (
            x.scaled
            or x.qualifier == "range"
            or x.value <= 0
            or x.unit not in (None, y.unit)
            or not re.fullmatch(r"\s+to\s+", text[x.end : y.start])
            or not re.search(r"(?i)\bfrom\s+$", text[max(0, x.start - 8) : x.start])
        ):
            continue
        factor = _scale_factor(y, text)
        if factor > 1 and _scale_factor(x, text) == 1 and 0.1 <= x.value * factor / y.value <= 10:
            x.value, x.scaled = x.value * factor, True


def _respectively_after(text: str, pos: int) -> bool:
    """Whether "respectively" closes the clause: "25k or 40k cheaper than A and B respectively"
    pairs each number with a thing, so "A or B" is no range."""
    m = re.match(r"[^.;!?]*", text[pos : pos + 200])
    return bool(re.search(r"(?i)\brespectively\b", m.group(0)))


def _scale_factor(n: _Num, text: str) -> float:
    """The scale a number carries: 1e6 for "12 million" and "12m", 1000 for "five thousand"."""
    if n.kind == "digits":
        return n.value / _unscaled(n, text) if n.scaled and _unscaled(n, text) else 1.0
    words = re.findall(r"[A-Za-z]+", text[n.start : n.end].lower())
    if len(words) > 1 and words[-1] in WORD_SCALES and not any(w in WORD_SCALES for w in words[:-1]):
        return float(WORD_SCALES[words[-1]])
    return 1.0


def _unscaled(n: _Num, text: str) -> float:
    m = re.search(r"\d+(?:,\d+)*(?:\.\d+)?", text[n.start : n.end])
    if m:
        return _digits_value(m.group(0))
    parsed = _parse_words(text[n.start : n.end])
    return parsed[0] if parsed else n.value


def _vague_candidates(text: str, lex: Lexicon, taken: list[tuple[int, int]]) -> list[_Cand]:
    """Vague counts. One that names a magnitude ("thousands", "several hundred", "tens of
    thousands") spans it: value is the base the words name at the least, value_max ten times the
    magnitude word (see _comment_vague_magnitudes in models/quantities.json)."""
    out = []
    for m in lex.regexes["vague"].finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        w = re.sub(r"\s+", " ", m.group("w").lower())
        pre = re.sub(r"\s+", " ", m.group("pre").lower()) if m.group("pre") else None
        if lex.regexes["number_word_before"].search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "two decades", "five hundreds": the word is the number's unit, not a vague count
        magnitude = None
        if w in ("dozen", "hundred", "thousand", "million", "billion"):
            if not pre:
                continue
            magnitude = 12 if w == "dozen" else WORD_SCALES[w]
        elif w in ("several", "a few", "many", "tens", "a couple", "a handful"):
            # bare "several"/"a few" quantify too loosely to be a claim, unless a scale follows
            if w in ("tens", "several", "a few", "many"):
                continue
            nxt = text[m.end() : m.end() + 4].lower()
            if w == "a couple" and not nxt.startswith(" of"):
                continue
            base = lex.vague[w]
        elif " of " in w:
            first, _, second = w.split()
            magnitude = (10 if first == "tens" else 100) * WORD_SCALES[second[:-1]]
        else:
            if w == "scores" and not re.match(r"\s+of\b", text[m.end() :]):
                continue
            if w == "tens":
                continue
            if w in lex.vague_magnitudes:
                magnitude = lex.vague[w]
            else:
                base = lex.vague.get(w, 0)
        if magnitude is not None:
            for word in m.group("more").lower().split():
                magnitude *= WORD_SCALES[word]  # "a few hundred thousand"
            base = magnitude * lex.vague_prefix_counts.get(pre, 1)
        start = m.start()
        qual = lex.vague_prefixes.get(pre, "at_least") if pre else "at_least"
        out.append(
            _Cand(
                start,
                m.end(),
                float(base),
                None if magnitude is None else float(10 * magnitude),
                qual,
                None,
                True,
                start,
                m.end(),
                "words",
            )
        )
    return out


# ---------------------------------------------------------------- context on the parse


def _tok_after(doc: Doc, char: int):
    for t in doc[_token_index_at(doc, char) :]:
        if t.idx >= char and not t.is_space:
            return t
    return None


def _token_index_at(doc: Doc, char: int) -> int:
    return token_index_at(doc, char)


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z][\w&.']*)\W{0,3}$", text[max(0, start - 30) : start])
    return m.group(1) if m else ""


def _around(c: _Cand, doc: Doc) -> tuple[str, str, str, str]:
    """(text, 30 characters before the number, 30 after, the number as written)."""
    text = doc_text(doc)
    return (
        text,
        text[max(0, c.num_start - 30) : c.num_start],
        text[c.num_end : c.num_end + 30],
        text[c.num_start : c.num_end],
    )


def _is_noun_word(doc: Doc, char: int) -> bool:
    t = _tok_after(doc, char)
    return t is not None and t.pos_ in ("NOUN", "PROPN", "ADJ") and t.text.lower() != "of"


def _counts_noun_after(c: _Cand, doc: Doc, lex: Lexicon) -> bool:
    """Whether the number counts the noun right after it: a plural ("300 troops"), or a singular
    only after "one" or when it is a measure ("45 km"): "Planet 9 citizen" is a name."""
    t = _tok_after(doc, c.num_end)
    if t is None or t.idx - c.num_end > 1 or not t.text[0].islower():
        return False
    if t.tag_ == "NNS":
        return True
    return t.tag_ == "NN" and (
        c.value == 1
        or c.scaled
        or any(
            t.lower_ in words
            for words in (
                lex.unit_aliases,
                lex.calibre_units,
                lex.fraction_measures,
                lex.currency_words,
                lex.time_units,
            )
        )
    )


def _in_capitalised_name(c: _Cand, doc: Doc) -> bool:
    """A capitalised number word after a capitalised word, inside a sentence that is not
    written in title case, belongs to a name."""
    i = _token_index_at(doc, c.num_start)
    if i == 0 or doc[i].is_sent_start or doc[i - 1].is_sent_start:
        return False
    prev = doc[i - 1]
    if not (prev.is_alpha and prev.text[0].isupper()):
        return False
    words = [t for t in sent_of(doc, i) if t.is_alpha]
    return sum(t.text[0].isupper() for t in words) < 0.5 * len(words)


def _not_in_name(c: _Cand, doc: Doc) -> bool:
    """After a capitalised word, a number that a score partner or a verb follows is no part of
    a name: "beat Hull 43-5", "Jane Smith 44 has spent"."""
    text = doc_text(doc)
    if re.fullmatch(r"\d{1,3}", text[c.num_start : c.num_end]) and re.match(
        r"\s?[-–]\s?\d", text[c.num_end : c.num_end + 4]
    ):
        return True
    if _prev_word(text, c.num_start).isupper():
        return False  # "ASX 200 gained": an acronym and its number name an index
    t = _tok_after(doc, c.num_end)
    return t is not None and t.idx - c.num_end <= 1 and t.pos_ in ("VERB", "AUX") and t.text[0].islower()


class DatesAndTimes:
    """What is written like a number but locates in time: a date, a time, a year, or a span that
    only locates ("in the past 24 hours"). One of the tests of `Exclusions`; reads the lexicon and
    the parse, holds nothing of any one Doc."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def __call__(self, c: _Cand, doc: Doc) -> bool | None:
        """True for a date, a time, a year or a span that only locates in time; False for a
        year-like number that counts after all; None when these tests do not decide."""
        for test in (self._locating_span_or_era, self._time_or_day, self._year):
            decided = test(c, doc)
            if decided is not None:
                return decided
        return None

    def _locating_span_or_era(self, c: _Cand, doc: Doc) -> bool | None:
        """ "in decades", "over the next five years": a span that locates in time; "1984-85",
        "300 BC": a span of years or an era."""
        text, before, after, raw = _around(c, doc)
        lex = self.lex
        if c.vague and raw.lower() in lex.time_units and _prev_word(text, c.num_start).lower() in ("in", "within"):
            return True  # "the slowest pace in decades" locates in time
        if c.kind == "digits" and re.search(r"\b(1[5-9]|20)\d\d\s?[-–/]\s?$", before) and re.fullmatch(r"\d\d", raw):
            return True  # "1984-85", "1986/87"
        if (
            c.kind == "digits"
            and not c.unit
            and (re.search(r"\b(?:A\.D\.|AD)\s*$", before) or re.match(r"\s*(?:B\.C\.|BCE?\b|A\.D\.|AD\b|CE\b)", after))
        ):
            return True  # "between A.D. 900 and 1150", "300 BC"
        m = re.search(
            r"(?i)(?:\b(\w+)\s+)?(?:the\s+)?\b(past|last|next|previous|coming|first|final|recent)\s+$", before
        )
        if (
            m
            and lex.regexes["time_unit_after"].match(after)
            and not (
                (m.group(1) or "").lower() in lex.duration_words
                and m.group(2).lower() in ("past", "last")
                and not lex.regexes["time_unit_of_after"].match(after)
            )
        ):
            return True  # "in the past 24 hours", "over the next five years"
            # locate in time; "for the past two months" lasts
        return None

    def _time_or_day(self, c: _Cand, doc: Doc) -> bool | None:
        """A time ("07:00", "9 a.m."), a fraction of a date ("3/4") or a day of the month
        ("December 18", "on 9 May", "March 4 and 5")."""
        text, before, after, raw = _around(c, doc)
        lex = self.lex
        if c.kind == "digits" and re.match(r"\s*[:/]\d", after) or re.search(r"\d[:/]\s*$", before):
            return True  # times 07:00, fractions of dates 3/4
        if c.kind == "digits" and lex.regexes["time"].match(after):
            return True
        if re.fullmatch(r"\d{1,2}|[A-Za-z-]+", raw) and c.value == int(c.value) and 1 <= c.value <= 31:
            # day of the month: "December 18", "18 December", "Dec. 23"
            pw = _prev_word(text, c.num_start).lower().rstrip(".")
            nw = re.match(r"\s*([A-Za-z]+)", after)
            if pw in lex.months or (
                nw
                and nw.group(1).lower() in lex.months
                and (
                    nw.group(1).lower() != "may"
                    or pw in lex.may_day_prepositions
                    or re.match(r"\s*May\s*(?:[,;.]|\d|$)", after)
                )
            ):
                return True  # "on 9 May", not "5 may fall"
            if lex.regexes["month_day_and_before"].search(before) or lex.regexes["and_day_month_after"].match(after):
                return True  # "March 4 and 5", "4 and 5 March"
        return None

    def _year(self, c: _Cand, doc: Doc) -> bool | None:
        """A year ("in 2018", "by 2120") or a decade ("the 1990s"); False for a year-like number
        that counts ("1800 tonnes")."""
        text, _, after, raw = _around(c, doc)
        lex = self.lex
        if c.kind == "digits" and not c.unit and not c.scaled and re.fullmatch(r"(1[5-9]|20)\d\d", raw):
            return self._year_like(c, doc)
        if (
            c.kind == "digits"
            and not c.unit
            and not c.scaled
            and re.fullmatch(r"21\d\d", raw)
            and _prev_word(text, c.num_start).lower() in lex.next_century_prepositions
            and not _counts_noun_after(c, doc, lex)
            and not lex.regexes["unit_after"].match(after)
        ):
            return True  # "submerged by 2120": a year of the next century
        if (
            re.fullmatch(r"\d{2}s|\d{4}s", text[c.num_start : c.num_end + 1])
            and not text[c.num_end + 1 : c.num_end + 2].isalpha()
        ):
            return True  # the 1990s
        return None

    def _year_like(self, c: _Cand, doc: Doc) -> bool:
        text = doc_text(doc)
        pw = _prev_word(text, c.num_start).lower()
        if self.lex.regexes["unit_after"].match(text[c.num_end : c.num_end + 25]):
            return False  # "the 1520 sq m centre", "1800 tonnes"
        if pw == "of" and self.lex.regexes["amount_of_before"].search(text[max(0, c.num_start - 30) : c.num_start]):
            return False  # "an average of 1500", "a total of 1900"
        if pw in self.lex.year_prepositions or pw.rstrip(".") in self.lex.months:
            return True
        if re.search(r"['’]s?$", pw) or (
            pw[:1].isalpha()
            and _prev_word(text, c.num_start)[:1].isupper()
            and re.search(r"[A-Za-z] $", text[max(0, c.num_start - 2) : c.num_start])
            and not doc[_token_index_at(doc, c.num_start)].is_sent_start
            and _token_index_at(doc, c.num_start) > 0
            and not doc[_token_index_at(doc, c.num_start) - 1].is_sent_start
        ):
            return True  # "the firm's 2018 sales", "Keytruda 2019 revenue": a year
        t = _tok_after(doc, c.num_end)
        # "2,000 troops" is written with a comma; a bare 1500-2099 followed by a plural noun may still count
        return not (t is not None and t.tag_ == "NNS" and t.idx - c.num_end <= 1)


class Exclusions:
    """What is written like a number but is no quantity: labels, codes, dates, times and years (in
    `DatesAndTimes`), numbers in names, periods and ranks, "one" as a pronoun. Reads the lexicon and
    the parse; holds nothing of any one Doc."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.dates_and_times = DatesAndTimes(lexicon)

    def __call__(self, c: _Cand, doc: Doc) -> bool:
        """Whether a candidate is no quantity: the first of these tests that decides, decides."""
        for test in (self._glued_or_labelled, self.dates_and_times, self._in_name, self._period_rank_or_one):
            decided = test(c, doc)
            if decided is not None:
                return decided
        return False

    def _glued_or_labelled(self, c: _Cand, doc: Doc) -> bool | None:
        """A label, not a count: digits glued to letters ("KN-23", "5G"), a code, an address,
        a score, a place in a table ("the bottom three")."""
        _, before, after, _ = _around(c, doc)
        # digits glued to letters or hyphens: KN-23, COVID-19, F-35, G7, 5G, 1st
        if c.kind == "digits" and not c.unit:
            if re.search(r"[A-Za-z][-–]?$", before) and not re.search(
                r"(?i)(?:US|A|C|HK|NZ)\$?$|Rs\.?$|\b(?:sub|now|then)-$", before
            ):
                return True
            # glued to letters ("5G", "240mm") names a thing unless the letters are a unit;
            # a hyphenated count noun ("12-roll packs", "60-kilo bag") still counts
            if re.match(r"[A-Za-z]", after) and not re.match(r"(?i)(?:km|kg|bn|mln|m\b|k\b|ft\b|mph|lb|t\b)", after):
                return True
            if re.match(r"[-–][A-Z]", after):
                return True
        if self._code_address_or_score(c, doc):
            return True
        if not c.unit and c.value_max is None and re.search(r"(?i)\bthe\s+(?:top|bottom)\s+$", before):
            t = _tok_after(doc, c.num_end)
            if t is None or t.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM"):
                return True  # "slipped into the bottom three": a place in a table, a rank
        return None

    def _in_name(self, c: _Cand, doc: Doc) -> bool | None:
        """A number inside a name ("Region 11", "240mm rocket launchers", "a 52-week high") or a
        span of time that locates ("four months after")."""
        text, before, after, raw = _around(c, doc)
        lex = self.lex
        # numbers inside names: Region 11, Article 5, S&P 500, iPhone 11
        if c.kind == "digits" and not c.unit and c.value_max is None:
            pw = _prev_word(text, c.num_start)
            gap = text[c.num_start - 1 : c.num_start] if c.num_start else ""
            if (
                pw
                and gap == " "
                and text[c.num_start - len(pw) - 1 : c.num_start - 1] == pw
                and (
                    pw.lower() in lex.designator_heads
                    or (
                        pw[0].isupper()
                        and pw.lower() not in lex.months
                        and not _counts_noun_after(c, doc, lex)
                        and not _not_in_name(c, doc)
                        and pw.lower() not in lex.not_name_words
                    )
                )
            ):
                return True
        # calibres and hyphenated measures used as names: "240mm rocket launchers", "a five-year plan"
        m = lex.regexes["calibre_after"].match(after)
        if (
            m
            and c.unit in (None, "mm", "cm", "inches")
            and _is_noun_word(doc, c.num_end + m.start(1))
            and lex.regexes["calibre_noun"].match(text[c.num_end + m.start(1) : c.num_end + m.start(1) + 60])
        ):
            return True  # a calibre names a weapon; "a 6.1-inch display" is a size
        if re.match(r"[\s-](?:year|month|week|day)[\s-](?:low|high)s?\b", after, re.I):
            return True  # "a three year low", "a 52-week high": a level's name
        m = re.match(r"-(year|month|week|day|hour)\b(?!-old)(?:-long)?\s+(?:\S*\d\S*\s+)?([A-Za-z]+)", after, re.I)
        if m and _is_noun_word(doc, c.num_end + m.start(2)):
            return True
        # time spans that only locate something in time: "four months after"
        m = lex.regexes["time_locating"].match(after)
        if m and c.qualifier == "exact":
            return True
        return None

    def _period_rank_or_one(self, c: _Cand, doc: Doc) -> bool | None:
        """ "the second half", "third place": a period or a rank; "one" as a pronoun."""
        text, before, after, raw = _around(c, doc)
        lex = self.lex
        if c.kind == "words" and re.fullmatch(r"(?i)(?:an?\s+)?(half|quarter|third|fourth|fifth|tenth)s?", raw):
            # "the second half", "the final quarter", "third place": periods and ranks, not shares
            if raw.lower().startswith(("third", "fourth", "fifth", "tenth")) or not (
                re.match(r"\s+of\b", after)
                or c.qualifier != "exact"
                or (raw.lower() == "half" and lex.regexes["share_determiner_after"].match(after))
            ):
                return True
            if re.search(
                r"(?i)\b(?:first|second|third|fourth|final|last|next|previous|latest|same|each|every)\s+$", before
            ):
                return True
        if c.kind == "words" and c.value == 1 and c.value_max is None and not c.scaled:
            return not self._one_counts(c, doc)
        return None

    def _code_address_or_score(self, c: _Cand, doc: Doc) -> bool:
        """Numbers that label rather than count: model names ("737 Max"), codes ("ISO 3888-2"),
        street numbers ("49 Elm Road"), year spans
        ("between 1600 and 1900"), day spans ("Sept. 20-24"), ages in apposition ("Smith, 65,")
        and shirt numbers ("Jones (4)")."""
        text, lex = doc_text(doc), self.lex
        after = text[c.num_end : c.num_end + 60]
        before = text[max(0, c.num_start - 40) : c.num_start]
        raw = text[c.num_start : c.num_end]
        bare = c.kind == "digits" and not c.unit and not c.scaled
        if c.kind == "digits" and lex.regexes["model_suffix_after"].match(after):
            return True  # "737 Max", "11 Pro"
        if re.fullmatch(r"\d+(?:\s*[-–]\s*\d+)?", raw) and lex.regexes["street_after"].match(after):
            return True  # "9 Elm St", "16-18 Industrial Avenue"
        if bare and re.search(r"\d{3,}[-–]$", before) and c.value_max is None:
            return True  # "ISO 3888-2", "737-800"
        if c.value_max is not None and c.kind == "digits" and not c.unit and not c.scaled:
            ends = re.findall(r"\d[\d,.]*", raw)
            if (
                len(ends) == 2
                and all(re.fullmatch(r"1\d{3}|20\d\d", e) for e in ends)
                and not _counts_noun_after(c, doc, lex)
                and not lex.regexes["unit_after"].match(after)
            ):
                return True  # "between 1600 and 1900"
            if (
                len(ends) == 2
                and all(re.fullmatch(r"\d{1,2}", e) and 1 <= int(e) <= 31 for e in ends)
                and _prev_word(text, c.num_start).lower().rstrip(".") in lex.months
            ):
                return True  # "Sept. 20-24"
        if bare and re.fullmatch(r"\d{1,3}", raw):
            if re.search(r"[A-Z][a-z]+,\s$", before) and re.match(r",\s", after) and 1 <= c.value <= 120:
                return True  # "Jane Smith, 65, said"
            if re.search(r"[A-Z][a-z]+\s\($", before) and re.match(r"\)", after):
                return True  # "Jones (4) scored"
        if c.kind == "words" and lex.regexes["compound_designator_after"].match(after):
            return True  # "six-speed gearbox", "a four-cylinder engine"
        if c.kind == "words" and raw[:1].isupper() and c.value_max is None and _in_capitalised_name(c, doc):
            return True  # "the Kick Six win", "told BBC One"
        return False

    def _one_counts(self, c: _Cand, doc: Doc) -> bool:
        """'one' quantifies when it modifies a noun ("one man"), not as a pronoun or in "one of"."""
        i = _token_index_at(doc, c.num_start)
        t = doc[i]
        if t.idx != c.num_start:
            return True  # part of a larger phrase
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in self.lex.one_pronoun_next:
            return False
        prev = doc[i - 1] if i > 0 else None
        if prev is not None and prev.lower_ in self.lex.one_pronoun_before:
            return False
        if c.qualifier != "exact":
            return True
        if re.match(r"-[a-z]", doc_text(doc)[c.num_end : c.num_end + 2]):
            return True  # "a one-pack limit"
        if t.dep_ == "conj" and t.head.like_num and t.head.lower_ != "one":
            return True  # "two and one package"
        return t.dep_ == "nummod" or (nxt is not None and nxt.lower_ in self.lex.one_counts_next)


class QuantityFinder:
    """Finds the quantities of one Doc: scans the text, leaves out what `Exclusions` says is no
    quantity, and reads what each one counts; holds the lexicon and the unit cache."""

    def __init__(self, lexicon: Lexicon, use_quantulum: bool = True, counting: Counting | None = None):
        self.lex = lexicon
        self.use_quantulum = use_quantulum
        self.counting = CountReader(counting)
        self.excluded = Exclusions(lexicon)

    # -- what is counted ---------------------------------------------------
    def _unit_and_subject(
        self, c: _Cand, doc: Doc, prev: tuple | None = None
    ) -> tuple[str | None, str | None, str | None]:
        """(unit, subject, counted): what the number counts or measures (ANNOTATION.md, "What a number
        counts"), the phrase it is about, and the noun it counts. `prev` is (sentence start, unit, end) of
        the number before it, whose unit a number that names nothing takes ("fell to 77,000 from 85,000")."""
        text, lex = doc_text(doc), self.lex
        after = text[c.end : c.end + 40]
        unit = c.unit or self._written_unit(after)
        i = _token_index_at(doc, max(c.num_end - 1, 0))
        subj_tok = self._subject_token(doc, i)
        counted = None
        unit = unit or self._unit_from_words(c, doc, text)
        # a number that names nothing may take what the one before it in its sentence counts; a span of
        # time only when the numbers are a list ("aged nine, ten and 13")
        listed = prev is not None and re.fullmatch(r"\s*[,;]?\s*(?:and|or)?\s*", text[prev[2] : c.start]) is not None
        same = (
            prev is not None
            and prev[1] not in (None, "fraction", "times")
            and (prev[1] not in lex.time_units or listed)
            and prev[0] == sent_of(doc, i).start
        )
        if unit is None:
            unit, noun = self.counting.read(doc, c.num_start, c.num_end, prev[1] if same else None)
            counted = noun.lower_ if noun is not None else None
            if unit in lex.currency_words:
                unit, counted = lex.currency_words[unit], None  # "billions of dlrs"
            if (unit is None or (listed and noun is None)) and same:
                unit = prev[1]  # a number that names nothing: what the one before counts
        # quantulum3 costs a millisecond a call and seconds to load: only where one of its units follows
        if unit is None and self.use_quantulum and quantulum_may_read(after, lex.not_unit_words):
            # a scale our scanner has read ("25k") must not be read again as a unit (kelvin)
            unit = _quantulum_unit(
                ("1" if c.scaled else text[c.num_start : c.end]) + text[c.end : min(len(text), c.end + 25)]
            )
        if counted is None:
            counted = self._counted(doc, c)
        return unit, self._subject_phrase(doc, c, subj_tok), counted

    def _unit_from_words(self, c: _Cand, doc: Doc, text: str) -> str | None:
        """A unit the words of the number or around it name: a fraction word, "aged 28", "6.9 on the
        Richter scale", a score ("beat them 31-17"), a hyphenated noun ("an eight-page insert")."""
        if (
            c.kind == "words"
            and 0 < c.value < 1
            and re.search(r"(?i)half|third|quarter|fourth|fifth|tenth", text[c.num_start : c.num_end])
        ):
            return "fraction"  # "half of its debts", "two-thirds of the votes"
        unit = self.counting.measure(text, c.start, c.num_end)  # "aged above 60": from the qualifier
        if unit is None and c.value_max is None and self.counting.is_score(doc, text, c.num_start, c.num_end):
            unit = "points"
        m = re.match(r"-([a-z]+?)(ed)?\b(?!-)", text[c.num_end : c.num_end + 20])
        if unit is None and m and not c.value_max:
            unit = m.group(1) + "s"  # "an eight-page insert", "a three-pronged thrust", "12-roll packs"
        return unit

    def _counted(self, doc: Doc, c: _Cand) -> str | None:
        """The noun counted when the unit came from elsewhere ("half of the voters"), not a unit word."""
        q = number_token(doc, c.num_start, c.num_end)
        n = self.counting.counted_noun(q) if q is not None else None
        if n is None or n.pos_ == "PRON" or not n.is_alpha:
            return None
        w, lex = n.lower_, self.lex
        if any(
            w in words
            for words in (
                lex.unit_aliases,
                lex.currency_words,
                lex.time_units,
                lex.percent_words,
                lex.calibre_units,
                lex.fraction_measures,
            )
        ) or {w, n.lemma_.lower()} & set(self.counting.lex.currency_names):
            return None
        return w

    def _written_unit(self, after: str) -> str | None:
        """A currency word or a measure written right after the number: "10 dlrs", "45 km"."""
        lex = self.lex
        m = lex.regexes["currency_word_after"].match(after)
        if m:
            word = m.group(0).strip().lower()
            names = self.counting.lex.currency_names
            entry = names.get(word) or names.get(word[:-1]) or names.get(word[:-2])
            if entry and entry.get("places"):
                return None  # "rupees" may be Pakistani: the parse and the article say
            return lex.currency_words.get(word)
        m = lex.regexes["unit_after"].match(after)
        if m:
            return lex.unit_aliases.get(re.sub(r"\s+", " ", m.group(0).strip().strip("-").strip().lower()))
        m = lex.regexes["time_unit_after"].match(after) or re.match(rf"-({_alt(lex.time_units)})\b", after, re.I)
        if m and not re.match(r"\s*-?\w+-old\b", after):
            word = m.group(0).strip().strip("-").strip().lower()  # "a forty minute team", "a two-day shutdown"
            return word if word.endswith("s") else re.sub(r"y$", "ie", word) + "s" if word == "century" else word + "s"
        return None

    def _subject_token(self, doc: Doc, i: int):
        """The noun the number modifies: its syntactic head, or the next noun within the phrase."""
        tok = doc[i]
        subj_tok = None
        if (
            tok.dep_ in ("nummod", "quantmod", "compound", "amod")
            and tok.head.pos_ in ("NOUN", "PROPN")
            and tok.head.i > tok.i
        ):
            subj_tok = tok.head
        else:
            for t in doc[i + 1 : i + 5]:
                if t.pos_ in ("NOUN",) and t.text.lower() not in ("%",) and not any(ch.isdigit() for ch in t.text):
                    subj_tok = t
                    break
                if t.pos_ in ("VERB", "AUX", "PUNCT", "ADP") and t.lower_ != "of":
                    break
        return None if subj_tok is not None and subj_tok.lower_ == "of" else subj_tok

    def _subject_phrase(self, doc: Doc, c: _Cand, subj_tok) -> str | None:
        if subj_tok is None:
            return None
        left = min([t.i for t in subj_tok.lefts if t.dep_ in ("amod", "compound")] + [subj_tok.i])
        left = max(left, _token_index_at(doc, c.end))
        right = subj_tok.i
        for t in subj_tok.rights:
            if t.dep_ == "prep" and t.lower_ in ("of", "in", "among"):
                right = max(right, max(x.i for x in t.subtree))
                break
        return doc[left : right + 1].text if right - left < 12 else None

    def _change(self, c: _Cand, doc: Doc) -> str | None:
        # the verb right before the number, through "by": "rose 2.1%", "fell by 300", "up 19 cents"
        m = re.search(r"([A-Za-z]+)\s+(?:by\s+)?$", doc_text(doc)[max(0, c.start - 25) : c.start])
        w = m.group(1).lower() if m else ""
        if w in self.lex.change_up:
            return "up"
        if w in self.lex.change_down:
            return "down"
        return None

    def __call__(self, doc: Doc) -> list[Quantity]:
        text, lex = doc_text(doc), self.lex
        nums = _scan_numbers(text, lex)
        cands = _merge_ranges(nums, text, lex)
        # "several dozen", "a few hundred" are vague even though "dozen" alone is a number
        vague = _vague_candidates(text, lex, [])
        loose = [v for v in vague if " " in text[v.start : v.end]]
        cands = [c for c in cands if not any(v.start <= c.start and c.end <= v.end for v in loose)]
        # the vague counts no number overlaps (what _vague_candidates(text, lex, taken) keeps)
        taken = [(c.start, c.end) for c in cands]
        cands += [v for v in vague if not any(s < v.end and v.start < e for s, e in taken)]
        cands.sort(key=lambda c: c.start)
        ids = (
            [(m.start(), m.end()) for m in lex.regexes["identifier"].finditer(text)]
            if lex.regexes["identifier"]
            else []
        )
        if ids:  # tweet ids, phone numbers, ISBNs, ISO dates: no quantities
            cands = [c for c in cands if not any(s < c.num_end and c.num_start < e for s, e in ids)]
        out: list[Quantity] = []
        for c in cands:
            if c.qualifier != "range" and not c.vague:
                q, qstart = _qualifier_before(text, c.start, lex)
                if q != "exact":
                    c.qualifier, c.start = q, qstart
                sm = lex.regexes["suffix"].match(text[c.end :])
                if sm and c.qualifier == "exact":
                    c.qualifier = suffix_qualifier(lex, sm.group(0))
                    c.end += sm.end()
            elif c.qualifier == "range":
                q, qstart = _qualifier_before(text, c.start, lex)
                if q != "exact":
                    c.start = qstart
            if self.excluded(c, doc):
                continue
            prev = (
                (sent_of(doc, _token_index_at(doc, out[-1].num_start)).start, out[-1].unit, out[-1].end)
                if out
                else None
            )
            unit, subject, counted = self._unit_and_subject(c, doc, prev)
            out.append(
                Quantity(
                    c.start,
                    c.end,
                    text[c.start : c.end],
                    float(c.value),
                    None if c.value_max is None else float(c.value_max),
                    c.qualifier,
                    unit,
                    c.vague,
                    self._change(c, doc),
                    subject,
                    c.num_start,
                    c.num_end,
                    counted,
                )
            )
        return out


@lru_cache(maxsize=20000)
def _quantulum_unit(snippet: str) -> str | None:
    """Unit of the first quantity quantulum3 finds in a short snippet (cached: snippets repeat)."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser

            found = parser.parse(snippet)
    except Exception:  # quantulum3 raises on odd input; a unit is optional
        return None
    for q in found:
        if q.span[0] > 0:
            break  # a later number's unit is not ours ("two-thirds of the 4.3M")
        name = q.unit.name
        if name and name != "dimensionless":
            return name.lower()
    return None


@lru_cache(maxsize=1)
def quantulum_units() -> tuple[frozenset[str], frozenset[str]]:
    """The words and symbols quantulum3 knows as units (its units.json, read as data: importing
    quantulum3 costs seconds): names, surfaces and their first words, symbols with their prefixes;
    and the common English words it treats as ambiguous (its common-words.json)."""
    package = resources.files("quantulum3")
    data = json.loads(package.joinpath("units.json").read_text(encoding="utf-8"))
    words = json.loads(package.joinpath("_lang", "en_US", "common-words.json").read_text(encoding="utf-8"))
    common = frozenset(w.lower() for group in words.values() for w in group)
    found: set[str] = set()
    for name, unit in data.items():
        if unit.get("entity") == "dimensionless":
            continue  # counts: our own lexicons read those
        for surface in [name, *unit.get("surfaces", ())]:
            found.add(surface.lower().split()[0])
        for symbol in unit.get("symbols", ()):
            forms = [symbol, *(prefix + symbol for prefix in unit.get("prefixes", ()))]
            found.update(forms + [f.lower() for f in forms if len(f) > 1])  # "49.5 HZ", not "5 M" as metres
    return frozenset(found), common


_UNIT_WORD = re.compile(r"\s?-?([^\W\d_]+|[°µμ′″'\"/㎐-㎿]\S{0,3})")


def quantulum_may_read(after: str, not_units: list[str]) -> bool:
    """Whether the text after a number starts with a unit quantulum3 knows ("784 hp", "300 Hz");
    `not_units` are the words after a number that are words first (quantities.json `not_unit_words`)."""
    m = _UNIT_WORD.match(after)
    if m is None:
        return False
    word = m.group(1)
    if word.lower() in not_units or len(word) == 1 and word.isalpha():
        return False  # "40 in the city", "12 a day", "75 m" (metres, minutes or millions): words first
    if word[0] in "°µμ′″'\"/":
        return True
    units, common = quantulum_units()
    if word.lower() in common and not (word in units and word != word.lower() and word != word.upper()):
        return False  # "27,000 as of", "one MP": words quantulum3 itself finds ambiguous ("Hz" is not)
    return word in units or word.lower() in units or word.lower().rstrip("s") in units


# ---------------------------------------------------------------- spaCy component


@Language.factory(
    "claim_quantities",
    assigns=["doc._.quantities", "doc.spans"],
    requires=["doc.sents", "doc.ents", "token.dep", "token.pos", "token.tag", "token.lemma", "token.ent_type"],
    default_config={"lexicon": None, "counts": None, "use_quantulum": True},
)
def make_quantities(nlp: Language, name: str, *, lexicon: str | None, counts: str | None, use_quantulum: bool):
    return QuantitiesComponent(name, lexicon=lexicon, counts=counts, use_quantulum=use_quantulum)


class QuantitiesComponent:
    """Sets doc._.quantities (Quantity records) and doc.spans["quantities"].

    Its lexicons are quantities.json (`lexicon`) and counts.json (`counts`, what a number
    counts), models/ by default; `to_disk` saves both beside the pipeline and `from_disk`
    reads them back from there."""

    def __init__(
        self,
        name: str = "claim_quantities",
        *,
        lexicon: str | None = None,
        counts: str | None = None,
        use_quantulum: bool = True,
    ):
        self.name = name
        self.use_quantulum = use_quantulum
        self._load(str(lexicon or model_path("quantities.json")), str(counts or model_path("counts.json")))
        # (quantulum3 is imported on the first unit only it can read: most runs never pay its ~2 s)

    def _load(self, lexicon: str, counts: str) -> None:
        self.paths = {"quantities.json": lexicon, "counts.json": counts}
        self.finder = QuantityFinder(load_lexicon(lexicon), self.use_quantulum, load_counting(counts))

    def to_disk(self, path, *, exclude=tuple()) -> None:
        save_files(path, self.paths)

    def from_disk(self, path, *, exclude=tuple()) -> "QuantitiesComponent":
        self._load(str(Path(path) / "quantities.json"), str(Path(path) / "counts.json"))
        return self

    def __call__(self, doc: Doc) -> Doc:
        quantities = self.finder(doc)
        doc._.quantities = quantities
        spans = []
        for q in quantities:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None:
                spans.append(Span(doc, span.start, span.end, label=q.qualifier))
        doc.spans["quantities"] = spans
        return doc
