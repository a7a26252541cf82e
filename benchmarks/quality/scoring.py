"""How the quality gate scores one extraction against one page's labels, the same for every system.

- **Body segments** (devset, and the ``with`` / ``without`` snippets of WCXB): a ``with`` segment is a TP
  when it occurs in the body, else a FN; a ``without`` segment a FP when it occurs, else a TN. Both
  sides are compared after white-space normalisation (runs of white space become one space); the
  comparison is otherwise exact (case-sensitive substring).
- **Body words** (WCXB, Readability): precision, recall and F1 of the lower-cased ``\\w+`` words of the
  body against those of the reference text, counted as multisets; an empty body scores 0.
- **Authors.** Exact: the names joined with ``"; "`` equal the annotation joined so (trafilatura's own
  ``"A; B"`` string is compared as it is). Names: the sets of names agree, case, punctuation and white
  space ignored inside each name. Name F1: the F1 of those two sets, per page.
- **Date (day)**: the first 10 characters of the extracted date equal the annotation, whose typos are
  repaired first (``2022-11-1``, ``2022-01.26``, ``2022-29-11``).
- **Title** exact (surrounding white space aside) and loose (NFKC, case folding, punctuation and runs of
  white space ignored).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_SPACE_RE = re.compile(r"\s+")
_SHORT_DATE_RE = re.compile(r"^(\d{4})[-.](\d{1,2})[-.](\d{1,2})$")
_WORD_RE = re.compile(r"\w+")
# A printed byline's label ("By", "Written by", "Von", "Par") and the separators between its names.
_BYLINE_LABEL_RE = re.compile(
    r"^\s*(?:(?:written|posted|words|text|story)\s+)?(?:by|von|par|por|door|di)\b\s*:?\s*", re.IGNORECASE
)
_NAME_SEPARATOR_RE = re.compile(r"\s*(?:[,;&|]|\s(?:and|und|et|y|e)\s)\s*", re.IGNORECASE)


# --------------------------------------------------------------------------- normalisation


def normalise_space(text: str) -> str:
    """``text`` with every run of white space collapsed to one space, and stripped."""
    return _SPACE_RE.sub(" ", text).strip()


def _drop_punctuation(text: str) -> str:
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))


def loose_title(text: str) -> str:
    """A title with case, punctuation and white-space runs ignored (NFKC, casefold, P* removed)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return normalise_space(_drop_punctuation(folded))


def name_key(name: str) -> str:
    """A person's name with case, punctuation and all white space removed (NFKC, casefold)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(_drop_punctuation(folded).split())


def annotation_names(annotation: str | Sequence[str] | None) -> list[str]:
    """The names of an author annotation: a list as it is, a string split on ``";"``; blanks dropped."""
    if not annotation:
        return []
    parts = annotation.split(";") if isinstance(annotation, str) else list(annotation)
    return [part.strip() for part in parts if part and part.strip()]


def byline_names(byline: str | None) -> list[str]:
    """The names of a byline as printed ("By A, B and C"): its label dropped, split at commas and "and"."""
    if not byline:
        return []
    text = _BYLINE_LABEL_RE.sub("", normalise_space(byline))
    return [part for part in _NAME_SEPARATOR_RE.split(text) if part.strip()]


def annotation_date(annotation: str) -> str:
    """A date annotation as ``YYYY-MM-DD``, with its typos repaired.

    Month and day are zero-padded (``2022-11-1``), a dot is read as a dash (``2022-01.26``), and a
    month above 12 with a day of at most 12 is read as year-day-month (``2022-29-11`` -> ``2022-11-29``).
    """
    annotation = annotation.strip()
    if match := _SHORT_DATE_RE.match(annotation):
        month, day = int(match[2]), int(match[3])
        if month > 12 >= day:
            month, day = day, month
        return f"{match[1]}-{month:02d}-{day:02d}"
    return annotation


# --------------------------------------------------------------------------- tallies


@dataclass
class SegmentCounts:
    """Confusion counts: of body segments (``with`` = must appear, ``without`` = must not), or of pages."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, other: SegmentCounts) -> None:
        """Add another page's counts to these."""
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.tn += other.tn

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP); None when nothing was counted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); None when nothing was counted."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None if either is undefined, 0.0 if both are 0."""
        precision, recall = self.precision, self.recall
        if precision is None or recall is None:
            return None
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def absent(self) -> float | None:
        """TN / (TN + FP): the share of ``without`` segments left out; None when there were none."""
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None


@dataclass
class Ratio:
    """A count of successes over a count of cases."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        """Count one case."""
        self.total += 1
        self.hits += int(hit)

    def extend(self, other: Ratio) -> None:
        """Count the cases of another ratio too."""
        self.hits += other.hits
        self.total += other.total

    @property
    def value(self) -> float | None:
        """hits / total; None when there were no cases."""
        return self.hits / self.total if self.total else None


@dataclass
class Mean:
    """The mean of per-page values."""

    sum: float = 0.0
    total: int = 0

    def add(self, value: float) -> None:
        """Count one page's value."""
        self.total += 1
        self.sum += value

    @property
    def value(self) -> float | None:
        """The mean; None when there were no pages."""
        return self.sum / self.total if self.total else None


# --------------------------------------------------------------------------- per-field scores


@dataclass
class SegmentResult:
    """One page's segment counts, with the segments that went wrong."""

    counts: SegmentCounts
    missed: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)


def score_segments(
    body: str | None, with_segments: Iterable[str], without_segments: Iterable[str]
) -> SegmentResult:
    """Score a body against the ``with`` / ``without`` segments (substring test, white space normalised)."""
    text = normalise_space(body or "")
    result = SegmentResult(SegmentCounts())
    for segment in with_segments:
        if normalise_space(segment) in text:
            result.counts.tp += 1
        else:
            result.counts.fn += 1
            result.missed.append(segment)
    for segment in without_segments:
        if normalise_space(segment) in text:
            result.counts.fp += 1
            result.leaked.append(segment)
        else:
            result.counts.tn += 1
    return result


def words(text: str) -> Counter[str]:
    """The lower-cased ``\\w+`` words of ``text``, counted."""
    return Counter(_WORD_RE.findall(text.lower()))


def word_scores(body: str, reference: Counter[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the body's words against the reference's (multisets); 0 for an empty body."""
    got = words(body)
    overlap = sum((got & reference).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / got.total(), overlap / reference.total()
    return precision, recall, 2 * precision * recall / (precision + recall)


def _joined(names: str | Sequence[str]) -> str:
    return names.strip() if isinstance(names, str) else "; ".join(name.strip() for name in names)


def author_exact(extracted: str | Sequence[str], annotation: str | Sequence[str]) -> bool:
    """Whether the extracted names joined with ``"; "`` equal the annotation joined with ``"; "``.

    Either side may be one string already in the ``"A; B"`` form (trafilatura's author, a string
    annotation); it is then compared as it is, apart from surrounding white space.
    """
    return _joined(extracted) == _joined(annotation)


def _name_keys(names: Iterable[str]) -> set[str]:
    return {key for key in map(name_key, names) if key}


def author_names_match(extracted: Sequence[str], annotation: str | Sequence[str]) -> bool:
    """Whether the sets of names agree, ignoring order, case, punctuation and white space."""
    return _name_keys(extracted) == _name_keys(annotation_names(annotation))


def name_f1(extracted: Iterable[str], expected: Iterable[str]) -> float:
    """The F1 of the two sets of names (keys as for :func:`author_names_match`); 1.0 when both are empty."""
    got, wanted = _name_keys(extracted), _name_keys(expected)
    if not got and not wanted:
        return 1.0
    hits = len(got & wanted)
    return 2 * hits / (len(got) + len(wanted))


def date_match(extracted: str | None, annotation: str) -> bool:
    """Whether the extracted date's first 10 characters equal the (zero-padded) annotation."""
    return extracted is not None and extracted.strip()[:10] == annotation_date(annotation)


def title_exact(extracted: str | None, annotation: str) -> bool:
    """Whether the titles are equal, apart from surrounding white space."""
    return extracted is not None and extracted.strip() == annotation.strip()


def title_loose(extracted: str | None, annotation: str) -> bool:
    """Whether the titles are equal ignoring case, punctuation and white-space runs."""
    return extracted is not None and loose_title(extracted) == loose_title(annotation)


def language_match(extracted: str | None, annotation: str) -> bool:
    """Whether the extracted language has the annotation's primary subtag (``en`` for ``en-US``)."""
    primary = annotation.strip().lower().replace("_", "-").split("-")[0]
    return extracted is not None and extracted.strip().lower().split("-")[0] == primary
