"""Read HIPE-2022 TSV files (CoNLL-U-like, one token a line) into documents with character offsets.

HIPE stores tokens, not text. The text is rebuilt the way the files say it was laid out: a space
after each token unless its MISC column says `NoSpaceAfter`, a line break where it says `EndOfLine`
(which wins over `NoSpaceAfter`: hyphenated words such as "ex¬" / "cessif" keep their break, as
in the OCR). One exception: in the letemps and newseye files every `EndOfSentence` also carries
`NoSpaceAfter` (a conversion artefact: "GENÈVE.Par jugement"), so a sentence end followed by a
token that starts with a letter or digit gets a space; followed by punctuation (hipe2020's
".»", ".,") it stays glued. Gold entities come from the B-/I- tags of NE-COARSE-LIT and get
exact character spans in that text, so that any system's predictions can be scored as offsets.

Format details handled here, because the four French dev files differ: a UTF-8 BOM, the header
line (column names; the columns are looked up by name), `#` comment lines carrying document
metadata, blank lines between documents, and coarse types written `pers`/`loc`/`org` (hipe2020,
letemps) or `PER`/`LOC`/`ORG`/`HumanProd` (newseye). An `I-` tag with no open entity of the same
type starts one, as `B-` would (it occurs in the data after OCR line breaks).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from veille.errors import VeilleError

# Coarse HIPE types veille scores, mapped to veille's labels. Other types (prod, time, HumanProd)
# are kept in the gold under their own lower-cased name so that nothing is dropped silently.
COARSE_TO_LABEL = {"pers": "PER", "per": "PER", "loc": "LOC", "org": "ORG"}
REQUIRED_COLUMNS = ("TOKEN", "NE-COARSE-LIT", "MISC")
DOCUMENT_ID = "hipe2022:document_id"
DATE = "hipe2022:date"
DATASET = "hipe2022:dataset"


class HipeFormatError(VeilleError):
    """A HIPE file cannot be read; the message names the file and line."""


@dataclass(slots=True, frozen=True)
class GoldEntity:
    start: int
    end: int  # end-exclusive offset into HipeDocument.text
    text: str
    label: str  # PER | LOC | ORG, or the lower-cased HIPE type for types veille does not score


@dataclass(slots=True)
class HipeDocument:
    id: str
    date: str | None
    text: str
    entities: list[GoldEntity] = field(default_factory=list)
    dataset: str | None = None
    source: str = ""  # "file:line" of the document's first token, for error reports


def normalise_label(coarse_type: str) -> str:
    lowered = coarse_type.lower()
    return COARSE_TO_LABEL.get(lowered, lowered)


class _DocumentBuilder:
    """Accumulates one document's tokens; finding spans is kept in `add` / `close`."""

    def __init__(self, doc_id: str, date: str | None, dataset: str | None) -> None:
        self.doc_id = doc_id
        self.date = date
        self.dataset = dataset
        self.source = ""
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[GoldEntity] = []
        # The last token ended a sentence with NoSpaceAfter: a space is owed if a word follows.
        self.sentence_gap = False
        # (start offset, label, end offset of the last token) of the entity being read
        self.open: tuple[int, str, int] | None = None

    def add(self, token: str, tag: str, misc: str, where: str) -> None:
        if not self.source:
            self.source = where
        if self.sentence_gap and token[:1].isalnum():
            self.parts[-1] = " "
            self.length += 1
        start = self.length
        self.parts.append(token)
        self.length += len(token)
        end = self.length
        self._tag(tag, start, end, where)
        flags = set(misc.split("|"))
        self.sentence_gap = False
        if "EndOfLine" in flags:
            separator = "\n"
        elif "NoSpaceAfter" in flags:
            separator = ""
            self.sentence_gap = "EndOfSentence" in flags
        else:
            separator = " "
        self.parts.append(separator)
        self.length += len(separator)

    def _tag(self, tag: str, start: int, end: int, where: str) -> None:
        if tag in {"O", "_", ""}:
            self._close()
            return
        prefix, dash, coarse = tag.partition("-")
        if not dash or prefix not in {"B", "I"} or not coarse:
            raise HipeFormatError(
                f"{where}: NE-COARSE-LIT tag {tag!r} is not O, B-<type> or I-<type>; "
                "fix the line or check that the columns are tab-separated"
            )
        label = normalise_label(coarse)
        if prefix == "I" and self.open is not None and self.open[1] == label:
            self.open = (self.open[0], label, end)
            return
        self._close()
        self.open = (start, label, end)

    def _close(self) -> None:
        if self.open is None:
            return
        start, label, end = self.open
        self.open = None
        self.entities.append(GoldEntity(start=start, end=end, text="", label=label))

    def build(self) -> HipeDocument:
        self._close()
        # The separator after the last token is not part of the document.
        text = "".join(self.parts[:-1]) if self.parts else ""
        entities = [GoldEntity(e.start, e.end, text[e.start : e.end], e.label) for e in self.entities]
        return HipeDocument(
            id=self.doc_id,
            date=self.date,
            text=text,
            entities=entities,
            dataset=self.dataset,
            source=self.source,
        )


def _comment(line: str) -> tuple[str, str] | None:
    """('hipe2022:document_id', 'X') for '# hipe2022:document_id = X'; None for other comments."""
    key, equals, value = line.lstrip("#").partition("=")
    if not equals:
        return None
    return key.strip(), value.strip()


def read_hipe(path: Path | str) -> Iterator[HipeDocument]:
    """Yield the documents of one HIPE-2022 TSV file, in file order.

    Raises HipeFormatError (with file and line number) on a line that is not a comment, a blank
    line, the header or a token line with the header's columns.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise HipeFormatError(f"cannot open HIPE file {path}: {error.strerror}") from error
    columns: dict[str, int] | None = None
    current: _DocumentBuilder | None = None
    pending_id: str | None = None
    pending_date: str | None = None
    pending_dataset: str | None = None
    with handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            where = f"{path}:{number}"
            if not line.strip():
                continue
            if line.startswith("#"):
                pair = _comment(line)
                if pair is None:
                    continue
                key, value = pair
                if key == DOCUMENT_ID:
                    if current is not None and current.parts:
                        yield current.build()
                    current = None
                    pending_id, pending_date, pending_dataset = value, None, None
                elif key == DATE:
                    pending_date = value or None
                elif key == DATASET:
                    pending_dataset = value or None
                continue
            cells = line.split("\t")
            if cells[0] == "TOKEN":
                missing = [name for name in REQUIRED_COLUMNS if name not in cells]
                if missing:
                    raise HipeFormatError(
                        f"{where}: the header lacks the column(s) {', '.join(missing)}; "
                        "a HIPE-2022 file starts with TOKEN, NE-COARSE-LIT, ..., MISC"
                    )
                columns = {name: cells.index(name) for name in REQUIRED_COLUMNS}
                continue
            if columns is None:
                raise HipeFormatError(
                    f"{where}: token line before the header line (TOKEN\\tNE-COARSE-LIT\\t...\\tMISC); "
                    "is this a HIPE-2022 TSV file?"
                )
            needed = max(columns.values()) + 1
            if len(cells) < needed:
                raise HipeFormatError(
                    f"{where}: {len(cells)} tab-separated column(s), expected at least {needed} "
                    f"(the header's TOKEN, NE-COARSE-LIT and MISC); check for spaces instead of tabs"
                )
            if current is None:
                doc_id = pending_id if pending_id is not None else f"{path.name}:{number}"
                current = _DocumentBuilder(doc_id, pending_date, pending_dataset)
                pending_id = None
            current.add(
                cells[columns["TOKEN"]], cells[columns["NE-COARSE-LIT"]], cells[columns["MISC"]], where
            )
    if current is not None and current.parts:
        yield current.build()
