"""One review: an opened input, its journal, the flagger, and the page's view of each bead.

The server calls :meth:`ReviewSession.state` once per page load and
:meth:`ReviewSession.act` per action; ``act`` journals the action before it
answers, so what the page shows as done is on disk.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from align.aligner.flags import (
    NO_MARKS,
    Flagger,
    GlossaryMarks,
    line_spans,
    unsupported_note,
    usual_ratio,
)
from align.errors import InvalidXmlCharError
from align.review.export import export
from align.review.inputs import Source
from align.review.journal import Journal, replay_journal
from align.review.model import SIDES, ArgError, EditError, Patch, RBead, clean_text, index
from align.tmx.reviewstate import reasons_for_flag
from align.tmx.xmltext import describe_char
from align.xmlsafe import first_invalid_char

ACTIONS = ("merge", "split", "move", "detach", "edit", "status", "fix", "undo", "redo")
# Each action's arguments besides ``bead``, with their defaults (None: required or optional
# index); anything else a request carries is ignored and never journalled.
_ARGS: dict[str, dict[str, Any]] = {
    "merge": {"direction": "next"},
    "split": {"src_cut": None, "tgt_cut": None},
    "move": {"side": None, "direction": None},
    "detach": {"side": None, "end": "last"},
    "edit": {"side": None, "texts": None},
    "status": {"status": ""},
    "fix": {},
}


class ReviewSession:
    """Edit state plus everything needed to show and save it.

    ``glossary`` is a loaded :class:`align.glossary.Glossary` or None; with
    ``journal=False`` the journal is only replayed (for ``--export``), never written.
    """

    def __init__(
        self,
        source: Source,
        glossary: Any = None,
        export_path: Path | None = None,
        journal: bool = True,
    ) -> None:
        self.source = source
        self.doc = source.doc
        self.glossary = glossary
        self.export_path = Path(export_path) if export_path else source.export
        self.lock = threading.Lock()
        doc = self.doc
        pairs = [(doc.text(b, "src"), doc.text(b, "tgt")) for b in doc.beads]
        self.flagger = Flagger(doc.src_lang, doc.tgt_lang, usual_ratio(pairs), glossary)
        if source.kind == "run":
            self._flag_unmatched()
        self.journal: Journal | None = None
        if journal:
            self.journal = Journal.open(source.journal, doc, source.name, source.fingerprint)
        elif source.journal.exists():
            replay_journal(source.journal, doc, source.fingerprint)
        self._views: dict[tuple[Any, ...], dict[str, Any]] = {}
        # Glossary checks cost ~0.5 ms a bead: for a large input they run after the page
        # is up (see warm); until then views carry no glossary marks and say so.
        self._marks: dict[tuple[str, str], GlossaryMarks] = {}
        self.glossary_ready = glossary is None
        self._warming = False
        self._state_json: bytes | None = None

    def _flag_unmatched(self) -> None:
        """A run folder's unmatched lines, which its TMX leaves out, get the aligner's flag
        by its rule: a probability below the (calibrated) review threshold."""
        below = self.flagger.review_below
        self.doc.originals = [
            replace(o, flag=o.score < below)
            if o.flag is None and o.score is not None and not (o.src and o.tgt)
            else o
            for o in self.doc.originals
        ]

    # -- views -----------------------------------------------------------------------------
    def marks(self, s_text: str, t_text: str) -> GlossaryMarks:
        """Glossary marks of one bead's joined texts (computed once per text pair)."""
        key = (s_text, t_text)
        hit = self._marks.get(key)
        if hit is None:
            hit = self._marks[key] = self.flagger.glossary(s_text, t_text)
        return hit

    def view(self, bead: RBead, glossary: bool | None = None) -> dict[str, Any]:
        """What the page needs to draw one bead (cached until the bead or its text changes).

        ``glossary`` forces (True) or skips (False) the term check; by default it is
        included once the background check has finished (:attr:`glossary_ready`).
        """
        doc = self.doc
        src = [doc.lines["src"][i] for i in bead.src]
        tgt = [doc.lines["tgt"][j] for j in bead.tgt]
        s_text = src[0] if len(src) == 1 else " ".join(x.strip() for x in src)
        t_text = tgt[0] if len(tgt) == 1 else " ".join(x.strip() for x in tgt)
        with_terms = self.glossary is not None and (
            self.glossary_ready if glossary is None else glossary
        )
        if with_terms is False and self.glossary is not None:
            with_terms = (s_text, t_text) in self._marks  # known already: no cost
        key = (bead, tuple(src), tuple(tgt), with_terms)
        hit = self._views.get(key)
        if hit is not None:
            return hit
        orig = doc.original(bead)
        score = None if orig is None else orig.score
        marks = self.marks(s_text, t_text) if with_terms else NO_MARKS
        reasons = self.flagger.reasons(s_text, t_text, score, marks)
        if orig is not None and orig.flag is not None:
            reasons = reasons_for_flag(reasons, orig.flag, score)
        # Empty fields are left out (the page defaults them): 20,000 beads load faster.
        view: dict[str, Any] = {"id": bead.id, "src": src, "tgt": tgt, "score": score}
        kind = doc.kind(bead) if doc.input_ids is not None or orig is not None else ""
        if kind and kind != f"{len(src)}-{len(tgt)}":
            view["kind"] = kind  # a jsonl bead's side joins several lines of its file
        if bead.status:
            view["status"] = bead.status
        recorded = orig is not None and orig.verdict is not None
        state = (
            doc.review_state(bead)
            if orig is None or bead.status or recorded or doc.touched_any()
            else ""
        )
        if state:
            view["state"] = state
        if reasons:
            view["reasons"] = [r.to_json() for r in reasons]
        if marks.src:
            view["gs"] = line_spans([x.strip() for x in src], marks.src)
        if marks.tgt:
            view["gt"] = line_spans([x.strip() for x in tgt], marks.tgt)
        if marks.fixable:
            view["fix"] = True
        self._views[key] = view
        return view

    def flagged(self, bead: RBead) -> bool:
        """The bead's review flag: the input's (the aligner's) while its lines are as read,
        else whether the page flags it (any reason, glossary terms checked)."""
        orig = self.doc.original(bead)
        if orig is not None and orig.flag is not None:
            return orig.flag
        return bool(self.view(bead, glossary=True).get("reasons"))

    def meta(self) -> dict[str, Any]:
        doc = self.doc
        notes = [n for n in (unsupported_note(doc.src_lang, doc.tgt_lang), self.codes_note()) if n]
        return {
            "input": self.source.name,
            "kind": self.source.kind,
            "src_lang": doc.src_lang,
            "tgt_lang": doc.tgt_lang,
            "export": self.export_path.name,
            "journal": self.source.journal.name,
            "glossary": self.glossary is not None,
            "notes": notes,
        }

    def codes_note(self) -> str | None:
        """A warning when the input TMX holds inline codes, which the reader leaves out."""
        n = self.source.inline_codes
        if not n:
            return None
        return (
            f"the input holds {n} inline code(s) (<bpt>, <ph>...): segments are shown and "
            "exported as text without them; re-insert tags in the CAT tool"
        )

    def status(self) -> dict[str, Any]:
        return {
            "counts": self.doc.counts(),
            "undo": bool(self.doc.undo_stack),
            "redo": bool(self.doc.redo_stack),
            "pending": not self.glossary_ready,  # glossary checks still running
        }

    def _settle(self) -> None:
        """Without a background check (tests, library use) terms are checked on demand."""
        if not self._warming:
            self.glossary_ready = True

    def state(self) -> dict[str, Any]:
        with self.lock:
            self._settle()
            return {
                "meta": self.meta(),
                "beads": [self.view(b) for b in self.doc.beads],
                **self.status(),
            }

    def warm(self) -> threading.Thread:
        """Prepare the page in the background: the state without terms, then the glossary.

        The page's first fetch waits for the first part only; it polls ``pending`` and
        refetches when the term checks are done. Each check takes the session lock, so
        an action never runs beside one (the checker's caches are not thread-safe).
        """

        self._warming = not self.glossary_ready

        def work() -> None:
            self.state_json()
            if self.glossary_ready:
                return
            with self.lock:
                pairs = [(self.doc.text(b, "src"), self.doc.text(b, "tgt")) for b in self.doc.beads]
            for s_text, t_text in pairs:
                with self.lock:
                    self.marks(s_text, t_text)
            with self.lock:
                self.glossary_ready = True
                self._warming = False
                self._state_json = None
            self.state_json()

        thread = threading.Thread(target=work, name="review-warm", daemon=True)
        thread.start()
        return thread

    def state_json(self) -> bytes:
        """:meth:`state` as UTF-8 JSON, cached until the next action (page reloads are cheap)."""
        with self.lock:
            self._settle()
            if self._state_json is None:
                body = json.dumps(
                    {"meta": self.meta(), "beads": [self.view(b) for b in self.doc.beads],
                     **self.status()},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )  # fmt: skip
                self._state_json = body.encode("utf-8")
            return self._state_json

    # -- actions ---------------------------------------------------------------------------
    def act(self, op: str, args: dict[str, Any]) -> dict[str, Any]:
        """Apply one action, journal it (fsync), and return the page's patch.

        Returns ``{"at", "remove", "insert": [views], "counts", "undo", "redo"}``, plus
        ``note`` when an edit's text lost characters XML cannot store; ArgError when the
        arguments are malformed, EditError when the action does not apply here (nothing
        is written then).
        """
        if op not in ACTIONS:
            raise ArgError(f"unknown action {op!r:.40}; expected one of {', '.join(ACTIONS)}")
        with self.lock:
            doc = self.doc
            self._state_json = None
            if op == "undo":
                patch = doc.undo()
                self._record(op, {}, None)
            elif op == "redo":
                patch = doc.redo()
                self._record(op, {}, None)
            else:
                raw, args = args, self._args(op, args)
                patch = self._patch(op, args)
                doc.do(patch)
                try:
                    self._record(op, args, patch)
                except BaseException:
                    doc.apply(patch.inverse())  # not on disk: not done
                    doc.undo_stack.pop()
                    raise
            reply = self._reply(patch)
            dropped = first_invalid_char("".join(raw["texts"])) if op == "edit" else None
            if dropped:
                reply["note"] = f"{describe_char(dropped)} cannot be stored in XML; made a space"
            return reply

    def _record(self, op: str, args: dict[str, Any], patch: Patch | None) -> None:
        if self.journal is not None:
            self.journal.record(op, args, patch)

    def _args(self, op: str, args: dict[str, Any]) -> dict[str, Any]:
        """``args`` checked for type and range and reduced to what ``op`` takes.

        ArgError (HTTP 400, never a traceback) when malformed; an edit's texts come
        back cleaned as they will be stored, so the journal never holds what XML cannot.
        """
        if "bead" not in args:
            raise ArgError(f"{op} needs a bead id")
        out = {"bead": index(args["bead"], "bead", self.doc.next_id)}
        for key, default in _ARGS[op].items():
            value = args.get(key, default)
            if key in ("src_cut", "tgt_cut"):
                out[key] = None if value is None else index(value, key)
            elif key == "texts":
                if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                    raise ArgError("edit needs texts: a list of strings, one per line")
                out[key] = [clean_text(t) for t in value]
            elif not isinstance(value, str):
                choices = "src or tgt" if key == "side" else "a string"
                raise ArgError(f"{op} needs {key}: {choices}, not {value!r:.40}")
            else:
                out[key] = value
        if "side" in out and out["side"] not in SIDES:
            raise ArgError(f"side must be src or tgt, not {out['side']!r:.40}")
        return out

    def _patch(self, op: str, args: dict[str, Any]) -> Patch:
        """The patch of ``op`` with arguments checked by :meth:`_args`."""
        doc = self.doc
        bead = args["bead"]
        if op == "merge":
            return doc.merge(bead, args["direction"])
        if op == "split":
            return doc.split(bead, args["src_cut"], args["tgt_cut"])
        if op == "move":
            return doc.move(bead, args["side"], args["direction"])
        if op == "detach":
            return doc.detach(bead, args["side"], args["end"])
        if op == "edit":
            return doc.edit(bead, args["side"], args["texts"])
        if op == "status":
            return doc.set_status(bead, args["status"])
        if op == "fix":
            return doc.rewrite_target(bead, self._fix)
        raise EditError(f"unknown action {op!r}")  # pragma: no cover - checked in act

    def _fix(self, source: str, target: str) -> list[tuple[int, int, str]]:
        if self.glossary is None:
            raise EditError("no glossary is loaded; start align review with -g GLOSSARY")
        from align.glossary import fix_segment

        result = fix_segment(self.glossary, source, target, self.doc.src_lang, self.doc.tgt_lang)
        return [(c.span[0], c.span[1], c.after) for c in result.changes]

    def _reply(self, patch: Patch) -> dict[str, Any]:
        return {
            "at": patch.at,
            "remove": len(patch.old),
            "insert": [self.view(b, glossary=True) for b in patch.new],
            **self.status(),
        }

    def export(self) -> dict[str, Any]:
        """Write the export file chosen at start-up; returns what was written and where."""
        with self.lock:
            try:
                counts = export(self.doc, self.export_path, self.flagged)
            except InvalidXmlCharError as exc:  # only an input's own text can hold one now
                raise InvalidXmlCharError(
                    exc.path, f"{exc.base_problem}, or edit that text here (an edit makes such "
                    "characters spaces), or export to .jsonl or .tsv"
                ) from None  # fmt: skip
        return {"path": self.export_path.name, **counts}

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()
