"""The edit model of a review: lines, beads over them, and reversible patches.

Every action (merge, split, move a line, make a line unmatched, edit text, accept,
reject, glossary fix) is turned into one :class:`Patch` — "replace beads
``at .. at+len(old)`` by ``new`` and change these line texts" — that carries
both the before and after states. Patches are what the journal stores, so a
replay needs neither the glossary nor the code that made the edit, undo is the
inverse patch, and a journal that does not fit the input is detected at once
(the ``old`` beads must be exactly what is there).

Beads stay monotone and cover every line once: each action keeps that
invariant (checked by the property tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from align.errors import AlignError
from align.xmlsafe import replace_invalid_chars

SIDES = ("src", "tgt")
STATUSES = ("", "accepted", "rejected")


class EditError(AlignError):
    """An action that cannot be applied here (e.g. merging past the last bead)."""

    def __init__(self, problem: str) -> None:
        super().__init__(None, problem)


class ArgError(EditError):
    """An action whose arguments are malformed (a bad type, side or index): a client bug."""


def index(value: Any, what: str, below: int | None = None) -> int:
    """``value`` as a line or bead index: a JSON integer, >= 0 and < ``below`` if given.

    ArgError (never TypeError/OverflowError) for a bool, float, string, infinity or
    an index out of range, so neither the server nor a journal replay sees a traceback.
    """
    if type(value) is not int or value < 0 or (below is not None and value >= below):
        limit = " up" if below is None else f" to {below - 1}"
        raise ArgError(f"{what} must be a whole number from 0{limit}, not {value!r:.40}")
    return value


@dataclass(frozen=True)
class RBead:
    """A bead under review: line indices per side, a stable ``id`` and a review status."""

    id: int
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    status: str = ""

    def side(self, side: str) -> tuple[int, ...]:
        return self.src if side == "src" else self.tgt

    def to_json(self) -> list[Any]:
        return [self.id, list(self.src), list(self.tgt), self.status]

    @classmethod
    def from_json(cls, data: list[Any]) -> RBead:
        """A journalled bead; ArgError/ValueError/TypeError when it is not one."""
        bead_id, src, tgt, status = data
        if status not in STATUSES:
            raise ArgError(f"status must be accepted, rejected or empty, not {status!r:.40}")
        lines = [
            tuple(index(i, f"a {side} line") for i in ids)
            for side, ids in zip(SIDES, (src, tgt), strict=True)
        ]
        return cls(index(bead_id, "a bead id"), *lines, status)

    def with_side(self, side: str, lines: tuple[int, ...]) -> RBead:
        if side == "src":
            return RBead(self.id, lines, self.tgt, self.status)
        return RBead(self.id, self.src, lines, self.status)


@dataclass(frozen=True)
class Original:
    """A bead as read from the input: its lines, the aligner's score and the unit's metadata.

    ``flag`` is the review flag the input records (the aligner's, or one an earlier
    review export kept in ``x-flagged``; None: the input records none) and
    ``verdict`` a reviewer's decision it records (``x-review`` of an exported
    review: accepted, edited or rejected; None: undecided).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float | None = None
    tuid: str | None = None
    props: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    segtype: str = "sentence"
    flag: bool | None = None
    verdict: str | None = None


# The bead status a recorded verdict reopens with; "edited" is shown by review_state.
_STATUS_OF = {"accepted": "accepted", "rejected": "rejected"}


@dataclass(frozen=True)
class Patch:
    """Replace ``old`` (beads at ``at``..) by ``new``; ``text`` = [(side, line, before, after)]."""

    at: int
    old: tuple[RBead, ...]
    new: tuple[RBead, ...]
    text: tuple[tuple[str, int, str, str], ...] = ()

    def inverse(self) -> Patch:
        return Patch(self.at, self.new, self.old, tuple((s, i, b, a) for s, i, a, b in self.text))

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "old": [b.to_json() for b in self.old],
            "new": [b.to_json() for b in self.new],
            "text": [list(t) for t in self.text],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Patch:
        """A journalled patch; ArgError/KeyError/TypeError/ValueError when it is not one."""
        text = []
        for side, i, before, after in data.get("text", []):
            _check_side(side)
            if not isinstance(before, str) or not isinstance(after, str):
                raise ArgError("a text change needs the texts before and after")
            text.append((side, index(i, f"a {side} line"), before, after))
        return cls(
            index(data["at"], "a bead position"),
            tuple(RBead.from_json(b) for b in data["old"]),
            tuple(RBead.from_json(b) for b in data["new"]),
            tuple(text),
        )


def clean_text(text: str) -> str:
    """One line as an edit stores it: whitespace runs become one space, ends trimmed.

    A character XML cannot store (U+0001, U+0008, U+FFFE...) counts as whitespace,
    like the control characters ``str.split`` already breaks on (VT, FF, U+001F,
    NEL, U+2028): pasted or typed, it is never meant, and kept it would make every
    TMX export fail.
    """
    return " ".join(replace_invalid_chars(str(text), " ")[0].split())


class ReviewDoc:
    """The state of one review: current line texts and beads, plus undo/redo stacks.

    ``src_lines``/``tgt_lines`` are the segments (one sentence each for a run
    folder; one unit side each for TMX and jsonl); ``originals`` the beads as
    read, each starting with the status its recorded verdict gives (a reopened
    review keeps its decisions). ``input_ids`` gives, per side, the lines of the
    input's own files each segment stands for (a jsonl bead's side is one
    segment joining its lines); None: segment ``i`` is line ``i``. ``raw_lines``
    gives, per side, each segment's text exactly as the input holds it, when the
    shown text is normalised (white space runs as one space): an export writes it
    for every line the reviewer did not edit (:meth:`export_text`); None: the
    shown text is the input's. Positions are 0-based indexes into ``beads``.
    """

    def __init__(
        self,
        src_lines: list[str],
        tgt_lines: list[str],
        originals: list[Original],
        src_lang: str,
        tgt_lang: str,
        input_ids: dict[str, list[tuple[int, ...]]] | None = None,
        raw_lines: dict[str, list[str]] | None = None,
    ) -> None:
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.lines = {"src": list(src_lines), "tgt": list(tgt_lines)}
        self.orig_lines = {"src": tuple(src_lines), "tgt": tuple(tgt_lines)}
        raw = raw_lines or self.orig_lines
        self.raw_lines = {side: tuple(raw[side]) for side in SIDES}
        for side in SIDES:
            if len(self.raw_lines[side]) != len(self.lines[side]):
                raise AlignError(None, f"{side}: {len(self.raw_lines[side])} input texts for "
                                 f"{len(self.lines[side])} lines")  # fmt: skip
        self.touched: dict[str, set[int]] = {"src": set(), "tgt": set()}  # lines ever edited
        self.originals = originals
        self.input_ids = input_ids
        self.beads = [
            RBead(n, o.src, o.tgt, _STATUS_OF.get(o.verdict or "", ""))
            for n, o in enumerate(originals)
        ]
        self.next_id = len(originals)
        self.undo_stack: list[Patch] = []
        self.redo_stack: list[Patch] = []
        self._pos: dict[int, int] | None = None
        self._by_lines = {(o.src, o.tgt): n for n, o in enumerate(originals)}
        self._check_cover()

    # -- queries ---------------------------------------------------------------------------
    def _check_cover(self) -> None:
        for side in SIDES:
            seen = [i for b in self.beads for i in b.side(side)]
            if seen != list(range(len(self.lines[side]))):
                raise AlignError(
                    None,
                    f"the beads do not cover the {side} lines once each, in order "
                    f"({len(seen)} indices for {len(self.lines[side])} lines)",
                )

    def position(self, bead_id: int) -> int:
        if self._pos is None:
            self._pos = {b.id: n for n, b in enumerate(self.beads)}
        try:
            return self._pos[bead_id]
        except KeyError:
            raise EditError(
                f"there is no bead {bead_id} (it was merged, split or undone)"
            ) from None

    def bead(self, bead_id: int) -> RBead:
        return self.beads[self.position(bead_id)]

    def text(self, bead: RBead, side: str) -> str:
        lines = self.lines[side]
        return " ".join(lines[i].strip() for i in bead.side(side))

    def export_text(self, bead: RBead, side: str) -> str:
        """The bead's ``side`` as an export writes it: each line the reviewer did not edit
        exactly as the input holds it (white space included), an edited one as edited.

        A bead of one line is that line as is; lines of a regrouped bead are trimmed
        and joined by one space, as :meth:`text` joins them.
        """
        ids = bead.side(side)
        texts = [
            self.raw_lines[side][i]
            if self.lines[side][i] == self.orig_lines[side][i]
            else self.lines[side][i]
            for i in ids
        ]
        if len(texts) == 1:
            return texts[0]
        return " ".join(t.strip() for t in texts)

    def original(self, bead: RBead) -> Original | None:
        """The input bead with exactly these lines, if the bead's structure is unchanged."""
        n = self._by_lines.get((bead.src, bead.tgt))
        return None if n is None else self.originals[n]

    def origins(self, bead: RBead) -> list[Original]:
        """Input beads that share a line with ``bead`` (for merged or split beads)."""
        found: dict[int, None] = {}
        for side in SIDES:
            owner = self._owner(side)
            for i in bead.side(side):
                found.setdefault(owner[i], None)
        return [self.originals[n] for n in sorted(found)]

    def _owner(self, side: str) -> list[int]:
        attr = f"_owner_{side}"
        owner = getattr(self, attr, None)
        if owner is None:
            owner = [0] * len(self.lines[side])
            for n, o in enumerate(self.originals):
                for i in o.src if side == "src" else o.tgt:
                    owner[i] = n
            setattr(self, attr, owner)
        return owner

    def input_lines(self, bead: RBead, side: str) -> tuple[int, ...]:
        """The lines of the input's own files ``bead`` holds on ``side`` (see ``input_ids``)."""
        ids = bead.side(side)
        if self.input_ids is None:
            return ids
        return tuple(k for i in ids for k in self.input_ids[side][i])

    def kind(self, bead: RBead) -> str:
        """The bead type in the input's lines: the input's own while the bead is unchanged."""
        o = self.original(bead)
        if o is not None and o.props.get("bead"):
            return o.props["bead"]
        return f"{len(self.input_lines(bead, 'src'))}-{len(self.input_lines(bead, 'tgt'))}"

    def forget_verdicts(self) -> None:
        """Open every bead undecided, as a journal of a version that did not read verdicts saw it."""
        self.originals = [replace(o, verdict=None) for o in self.originals]
        self.beads = [RBead(b.id, b.src, b.tgt) for b in self.beads]
        self._pos = None

    def score(self, bead: RBead) -> float | None:
        """The aligner's score while the bead's lines are unchanged, else None."""
        o = self.original(bead)
        return None if o is None else o.score

    def edited(self, bead: RBead) -> bool:
        """Lines regrouped or any line's text changed."""
        if self.original(bead) is None:
            return True
        if not self.touched_any():
            return False
        return any(
            self.lines[side][i] != self.orig_lines[side][i]
            for side in SIDES
            for i in bead.side(side)
            if i in self.touched[side]
        )

    def touched_any(self) -> bool:
        """Has any line's text ever been edited in this review?"""
        return bool(self.touched["src"] or self.touched["tgt"])

    def review_state(self, bead: RBead) -> str:
        """``rejected``, ``edited`` (changed, or recorded edited by the input's review, and
        not rejected), ``accepted`` or ``""``."""
        if bead.status == "rejected":
            return "rejected"
        if self.edited(bead):
            return "edited"
        o = self.original(bead)
        if o is not None and o.verdict == "edited":
            return "edited"
        return bead.status

    def counts(self) -> dict[str, int]:
        accepted = sum(b.status == "accepted" for b in self.beads)
        rejected = sum(b.status == "rejected" for b in self.beads)
        return {
            "beads": len(self.beads),
            "accepted": accepted,
            "rejected": rejected,
            "reviewed": accepted + rejected,
            "remaining": len(self.beads) - accepted - rejected,
        }

    # -- patches ---------------------------------------------------------------------------
    def apply(self, patch: Patch) -> None:
        """Apply ``patch``; EditError if the beads or texts it replaces are not there."""
        end = patch.at + len(patch.old)
        if patch.at < 0 or end > len(self.beads) or tuple(self.beads[patch.at : end]) != patch.old:
            raise EditError(f"the edit at bead position {patch.at} does not fit the current beads")
        self._check_regroup(patch)
        for side, i, before, _ in patch.text:
            if side not in SIDES or not 0 <= i < len(self.lines[side]):
                raise EditError(f"the edit changes {side} line {i}, which does not exist")
            if self.lines[side][i] != before:
                raise EditError(f"the edit expects different text on {side} line {i}")
        self.beads[patch.at : end] = patch.new
        for side, i, _, after in patch.text:
            self.lines[side][i] = after
            self.touched[side].add(i)
        if len(patch.old) != len(patch.new) or any(
            a.id != b.id for a, b in zip(patch.old, patch.new, strict=True)
        ):
            self._pos = None
        for b in patch.new:
            self.next_id = max(self.next_id, b.id + 1)

    def _check_regroup(self, patch: Patch) -> None:
        """The new beads hold the old beads' lines in order, under ids used nowhere else.

        Every action keeps this; a hand-edited journal may not, and would otherwise
        leave a line shown twice or not at all.
        """
        for side in SIDES:
            if _lines(patch.old, side) != _lines(patch.new, side):
                raise EditError(f"the edit loses or adds {side_name(side)} lines")
        kept = {b.id for b in patch.old}
        ids = [b.id for b in patch.new]
        if len(set(ids)) < len(ids) or any(i not in kept and self._has(i) for i in ids):
            raise EditError("the edit gives two beads the same id")

    def _has(self, bead_id: int) -> bool:
        try:
            self.position(bead_id)
        except EditError:
            return False
        return True

    def do(self, patch: Patch) -> None:
        """Apply a new action's patch: it can be undone; the redo stack is cleared."""
        self.apply(patch)
        self.undo_stack.append(patch)
        self.redo_stack.clear()

    def undo(self) -> Patch:
        if not self.undo_stack:
            raise EditError("nothing to undo")
        patch = self.undo_stack[-1].inverse()
        self.apply(patch)
        self.redo_stack.append(self.undo_stack.pop())
        return patch

    def redo(self) -> Patch:
        if not self.redo_stack:
            raise EditError("nothing to redo")
        patch = self.redo_stack[-1]
        self.apply(patch)
        self.undo_stack.append(self.redo_stack.pop())
        return patch

    # -- actions: each returns the patch it would apply, without applying it ------------------
    def _new_id(self) -> int:
        return self.next_id

    def merge(self, bead_id: int, direction: str = "next") -> Patch:
        """One bead from a bead and its neighbour (``next`` or ``prev``), status cleared."""
        if direction not in ("next", "prev"):
            raise ArgError(f"merge direction must be next or prev, not {direction!r:.40}")
        i = self.position(bead_id)
        j = i + 1 if direction == "next" else i - 1
        if not 0 <= j < len(self.beads):
            raise EditError(f"there is no {'next' if j > i else 'previous'} bead to merge with")
        a, b = sorted((i, j))
        first, second = self.beads[a], self.beads[b]
        merged = RBead(first.id, first.src + second.src, first.tgt + second.tgt)
        return Patch(a, (first, second), (merged,))

    def split(self, bead_id: int, src_cut: int | None = None, tgt_cut: int | None = None) -> Patch:
        """Two beads from one: the first ``src_cut``/``tgt_cut`` lines, then the rest.

        The default cut is half of each side, rounded down but at least one line,
        so a 2-2 bead becomes two 1-1 beads and a 2-1 bead a 1-1 and a 1-0.
        """
        i = self.position(bead_id)
        bead = self.beads[i]
        if len(bead.src) + len(bead.tgt) < 2 or (len(bead.src) <= 1 and len(bead.tgt) <= 1):
            for side in SIDES:
                joined = len(self.input_lines(bead, side))
                if joined > 1:
                    raise EditError(
                        f"the input gives this bead's {joined} {side_name(side)} lines as one "
                        "text (a jsonl joins a bead's lines), so they cannot be split here; "
                        "edit the text, or reject the bead"
                    )
            raise EditError("this bead has one line per side; there is nothing to split")
        cuts = []
        for lines, cut in ((bead.src, src_cut), (bead.tgt, tgt_cut)):
            if cut is None:
                cut = max(1, len(lines) // 2) if lines else 0
            if not 0 <= cut <= len(lines):
                raise ArgError(f"cannot cut {len(lines)} line(s) after line {cut}")
            cuts.append(cut)
        s, t = cuts
        first = RBead(bead.id, bead.src[:s], bead.tgt[:t])
        second = RBead(self._new_id(), bead.src[s:], bead.tgt[t:])
        if not (first.src or first.tgt) or not (second.src or second.tgt):
            raise EditError("a split must leave at least one line in each part")
        return Patch(i, (bead,), (first, second))

    def move(self, bead_id: int, side: str, direction: str) -> Patch:
        """Move the first ``side`` line to the previous bead (``prev``) or the last to the next.

        A bead left with no line at all disappears.
        """
        _check_side(side)
        i = self.position(bead_id)
        bead = self.beads[i]
        lines = bead.side(side)
        if not lines:
            raise EditError(f"this bead has no {side_name(side)} line to move")
        if direction == "prev":
            if i == 0:
                raise EditError("there is no previous bead to move the line to")
            other = self.beads[i - 1]
            new_other = other.with_side(side, (*other.side(side), lines[0]))
            new_bead = bead.with_side(side, lines[1:])
            old, new = (other, bead), [new_other, new_bead]
            at = i - 1
        elif direction == "next":
            if i == len(self.beads) - 1:
                raise EditError("there is no next bead to move the line to")
            other = self.beads[i + 1]
            new_other = other.with_side(side, (lines[-1], *other.side(side)))
            new_bead = bead.with_side(side, lines[:-1])
            old, new = (bead, other), [new_bead, new_other]
            at = i
        else:
            raise ArgError(f"move direction must be next or prev, not {direction!r:.40}")
        new = [RBead(b.id, b.src, b.tgt) for b in new if b.src or b.tgt]  # regrouped: unreviewed
        return Patch(at, old, tuple(new))

    def detach(self, bead_id: int, side: str, end: str = "last") -> Patch:
        """Make the first or last ``side`` line of a bead unmatched (a 1-0 or 0-1 bead)."""
        _check_side(side)
        if end not in ("first", "last"):
            raise ArgError(f"end must be first or last, not {end!r:.40}")
        i = self.position(bead_id)
        bead = self.beads[i]
        lines = bead.side(side)
        other = bead.tgt if side == "src" else bead.src
        if not lines:
            raise EditError(f"this bead has no {side_name(side)} line")
        if len(lines) == 1 and not other:
            raise EditError("this line is already unmatched")
        line = lines[-1] if end == "last" else lines[0]
        rest = lines[:-1] if end == "last" else lines[1:]
        kept = RBead(bead.id, *((rest, bead.tgt) if side == "src" else (bead.src, rest)))
        alone = RBead(self._new_id(), *(((line,), ()) if side == "src" else ((), (line,))))
        new = (kept, alone) if end == "last" else (alone, kept)
        return Patch(i, (bead,), new)

    def edit(self, bead_id: int, side: str, texts: list[str]) -> Patch:
        """New text for each ``side`` line of a bead (whitespace runs become one space)."""
        _check_side(side)
        i = self.position(bead_id)
        bead = self.beads[i]
        lines = bead.side(side)
        if len(texts) != len(lines):
            raise EditError(
                f"this bead has {len(lines)} {side_name(side)} line(s), got {len(texts)}"
            )
        changes = []
        for line, text in zip(lines, texts, strict=True):
            clean = clean_text(text)
            if not clean:
                raise EditError("a line cannot be empty; make it unmatched or reject the bead")
            if clean != self.lines[side][line]:
                changes.append((side, line, self.lines[side][line], clean))
        if not changes:
            raise EditError("the text is unchanged")
        return Patch(i, (bead,), (bead,), tuple(changes))

    def set_status(self, bead_id: int, status: str) -> Patch:
        if status not in STATUSES:
            raise ArgError(f"status must be accepted, rejected or empty, not {status!r:.40}")
        i = self.position(bead_id)
        bead = self.beads[i]
        return Patch(i, (bead,), (RBead(bead.id, bead.src, bead.tgt, status),))

    def rewrite_target(self, bead_id: int, fix: Callable[[str, str], list[tuple[int, int, str]]]):
        """Apply ``fix(source, target) -> [(start, end, replacement)]`` to the joined target.

        Spans refer to the target lines joined by one space; a span may not cross
        a line boundary. Returns the patch (EditError if nothing changes).
        """
        i = self.position(bead_id)
        bead = self.beads[i]
        if not bead.tgt or not bead.src:
            raise EditError("a glossary fix needs text on both sides")
        texts = [self.lines["tgt"][j].strip() for j in bead.tgt]
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        new_texts = list(texts)
        for start, end, repl in sorted(fix(self.text(bead, "src"), " ".join(texts)), reverse=True):
            k = max(n for n, s in enumerate(starts) if s <= start)
            a, b = start - starts[k], end - starts[k]
            if b > len(texts[k]):
                raise EditError("a glossary fix spans two lines; edit the text by hand")
            new_texts[k] = new_texts[k][:a] + repl + new_texts[k][b:]
        if new_texts == texts:
            raise EditError("no glossary fix to apply in this bead")
        return self.edit(bead_id, "tgt", new_texts)


def _lines(beads: tuple[RBead, ...], side: str) -> list[int]:
    return [i for b in beads for i in b.side(side)]


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise ArgError(f"side must be src or tgt, not {side!r:.40}")


def side_name(side: str) -> str:
    return "source" if side == "src" else "target"
