"""The prompt: the codebook (label, definition, include/exclude, examples), few-shot codings, the passage.

Every piece that decides the answer except the passage (template version, instructions, the
codes of the batch, the few-shot examples, temperature, seed, answer length) goes into the
template hash; the passage with its speaker role and survey question goes into the passage hash.
When the whole codebook does not fit the model's context beside the passage, its codes are
split into batches, a theme's codes kept together where they fit, and each batch is asked alone.

Where the server enforces the answer's JSON schema, the schema is made for each passage: the
evidence must be one of the passage's own short pieces (clauses), so a small model cannot paraphrase
it, and the number of codes is capped so the longest possible answer fits ``max_tokens``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ....codebook import Codebook
from ....errors import Errors, InputError
from ....models import Code
from .answer import MIN_QUOTE_CHARS, normalised, quote_core, quoted_in

TEMPLATE_VERSION = "thematic.llm.prompt.v2"
#: Characters per token assumed when estimating a prompt's length (English is ~4; 3 leaves room).
CHARS_PER_TOKEN = 3.0
#: ... for other alphabets (Cyrillic, Greek, Arabic, accented Latin), which tokenizers cut finer.
OTHER_CHARS_PER_TOKEN = 2.0
#: Tokens per wide (CJK) character: tokenizers give about 0.6-1; one leaves room.
WIDE_TOKENS_PER_CHAR = 1.0
#: Tokens the chat template adds around each message.
MESSAGE_OVERHEAD = 8
EVIDENCE_CHARS = 300
#: The shortest a quotable piece of a passage may be cut to, and the most pieces one passage offers.
PIECE_CHARS = 80
MAX_PIECES = 40
#: Confidence values an answer may give (tenths: enough to rank by, and a bounded number of tokens).
CONFIDENCES = tuple(round(i / 10, 1) for i in range(11))
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'\u201d\u2019)]*\s+")
_CLAUSE = re.compile(r"(?<=[,;:\u2013\u2014])\s+|\s+(?=[\u2013\u2014-]\s)")
_EDGE = " \t\n\"'.,;:\u2013\u2014-"
#: Pieces never hold a double quote or a backslash: they are cut there (llama.cpp's schema-to-grammar
#: converter mis-escapes them in an enum, and the server then fails the request or stops).
_UNQUOTABLE = re.compile(r'["\\\u201c\u201d]+')

INSTRUCTIONS = """\
You are a careful qualitative researcher coding passages from interviews, focus groups and open \
survey answers with a codebook. Apply a code only when the passage fits its definition and its \
inclusion criteria and none of its exclusion criteria. Most passages have zero, one or two codes.
Answer with JSON only, in this form:
{"codes": [{"code": "<code id>", "evidence": "<a short phrase copied exactly from the passage>", \
"confidence": <a number from 0 to 1>}]}
Use only the code ids listed below. Copy the evidence word for word from the passage. If no code \
applies, answer {"codes": []}.

Codebook:
"""

RETRY = ("That answer was not valid JSON of the required form. Answer again with JSON only: "
         '{"codes": [{"code": "<code id>", "evidence": "<phrase copied from the passage>", "confidence": 0.0}]}')


@dataclass(frozen=True, slots=True)
class Example:
    """A few-shot example: a passage (with its context line) and the codes a human gave it, with evidence."""

    passage: str
    codes: tuple[tuple[str, str], ...]  # (code id, evidence)


def estimate_tokens(text: str) -> int:
    """A deliberately generous token count for ``text`` (no tokenizer needed): ASCII at 3 characters a token,
    other alphabets at 2, and each wide (Chinese, Japanese, Korean) character as a token of its own."""
    rest = [c for c in text if c >= "\x80"]
    wide = sum(1 for c in rest if unicodedata.east_asian_width(c) in "WF")
    return int((len(text) - len(rest)) / CHARS_PER_TOKEN + (len(rest) - wide) / OTHER_CHARS_PER_TOKEN
               + wide * WIDE_TOKENS_PER_CHAR) + 1


def code_block(code: Code) -> str:
    """One code as the prompt shows it."""
    lines = [f"- id: {code.id}", f"  label: {code.label}"]
    if code.definition:
        lines.append(f"  definition: {code.definition}")
    lines += [f"  include: {x}" for x in code.include]
    lines += [f"  exclude: {x}" for x in code.exclude]
    lines += [f"  example: {x}" for x in code.examples]
    return "\n".join(lines)


def passage_message(text: str, *, speaker: str | None = None, interviewer: bool = False,
                    question: str | None = None) -> str:
    """The user message for one passage: who speaks, the survey question if any, the passage."""
    role = "interviewer" if interviewer else "participant"
    head = [f"Speaker: {role}" + (f" ({speaker})" if speaker else "")]
    if question:
        head.append(f"Survey question: {question}")
    return "\n".join([*head, "Passage:", '"""', text, '"""'])


def answer_json(codes: Iterable[tuple[str, str]]) -> str:
    """A model answer in the required form (for few-shot examples)."""
    return json.dumps({"codes": [{"code": c, "evidence": e, "confidence": 1.0} for c, e in codes]},
                      ensure_ascii=False)


def answer_schema(code_ids: Sequence[str]) -> dict[str, Any]:
    """The JSON schema of an answer for a batch of codes (sent where the server can enforce it)."""
    item = {"type": "object", "additionalProperties": False, "required": ["code", "evidence", "confidence"],
            "properties": {"code": {"type": "string", "enum": list(code_ids)},
                           "evidence": {"type": "string", "maxLength": EVIDENCE_CHARS},
                           "confidence": {"type": "number", "minimum": 0, "maximum": 1}}}
    return {"type": "object", "additionalProperties": False, "required": ["codes"],
            "properties": {"codes": {"type": "array", "items": item, "maxItems": max(1, len(code_ids))}}}


def _windows(text: str, limit: int) -> list[str]:
    words, out, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > limit:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur and out and " " not in cur and len(cur) < MIN_QUOTE_CHARS and " " in out[-1]:
        head, last = out[-1].rsplit(" ", 1)  # a lone short last word is no quote: give it its neighbour
        out[-1], cur = head, f"{last} {cur}"
    return [*out, cur] if cur else out


def quotable(text: str) -> list[str]:
    """The passage cut into short pieces to quote as evidence: sentences, then clauses, then word windows.

    Pieces are at most ``max(PIECE_CHARS, len(text) / MAX_PIECES)`` characters, so a passage offers
    at most about ``MAX_PIECES`` of them; each is the passage's own words with single spaces, cut at
    double quotes and backslashes (which some servers' grammars cannot hold), and each is a quote
    ``evidence_in`` accepts (a lone letter between quotes is left out).
    """
    limit = max(PIECE_CHARS, -(-len(text) // MAX_PIECES))
    whole = normalised(text)
    out: list[str] = []
    for sentence in _SENTENCE.split(text):
        parts = [sentence] if len(sentence) <= limit else _CLAUSE.split(sentence)
        for part in (safe for clause in parts for safe in _UNQUOTABLE.split(clause)):
            for piece in _windows(part, limit):
                piece = piece.strip(_EDGE)
                if piece and piece not in out and quoted_in(quote_core(piece), whole):
                    out.append(piece)
    return out or [_UNQUOTABLE.sub(" ", " ".join(text.split()))[:limit].strip() or "-"]


def passage_schema(code_ids: Sequence[str], text: str, max_tokens: int) -> dict[str, Any]:
    """The answer schema for one passage: evidence is one of its ``quotable`` pieces; as many codes as fit."""
    pieces = quotable(text)
    longest = max(code_ids, key=len) if code_ids else ""
    item_text = json.dumps({"code": longest, "evidence": max(pieces, key=len), "confidence": 0.5}, ensure_ascii=False) + ", "
    fits = (max_tokens - estimate_tokens('{"codes": []}') - 4) // (estimate_tokens(item_text) + 4)
    schema = answer_schema(code_ids)
    items = schema["properties"]["codes"]
    items["maxItems"] = max(1, min(len(code_ids), fits))
    items["items"]["properties"]["evidence"] = {"type": "string", "enum": pieces}
    items["items"]["properties"]["confidence"] = {"type": "number", "enum": list(CONFIDENCES)}
    return schema


@dataclass(frozen=True, slots=True)
class Batch:
    """The codes asked about in one request, the messages before the passage, and their hash."""

    code_ids: tuple[str, ...]
    messages: tuple[dict[str, str], ...]
    template_hash: str


def _sha(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def make_batch(codes: Sequence[Code], examples: Sequence[Example], generation: dict[str, Any]) -> Batch:
    """The system prompt for ``codes`` plus few-shot turns (each example's codes limited to the batch)."""
    ids = tuple(c.id for c in codes)
    messages: list[dict[str, str]] = [{"role": "system",
                                       "content": INSTRUCTIONS + "\n".join(code_block(c) for c in codes)}]
    for ex in examples:
        messages.append({"role": "user", "content": ex.passage})
        messages.append({"role": "assistant", "content": answer_json((c, e) for c, e in ex.codes if c in ids)})
    thash = _sha([TEMPLATE_VERSION, messages, generation])
    return Batch(ids, tuple(messages), thash)


def messages_tokens(messages: Iterable[dict[str, str]]) -> int:
    """Estimated tokens of a list of chat messages."""
    return sum(estimate_tokens(m["content"]) + MESSAGE_OVERHEAD for m in messages)


def smallest_prompt(codes: Sequence[Code]) -> tuple[int, str]:
    """The estimated tokens of the largest one-code prompt (instructions and that code) and that code's id:
    a passage fits the model only when this much is left beside it."""
    base = estimate_tokens(INSTRUCTIONS) + MESSAGE_OVERHEAD
    sizes = [(base + estimate_tokens(code_block(c)) + 1, c.id) for c in codes]
    return max(sizes, key=lambda s: s[0]) if sizes else (base, "")


def plan_batches(cb: Codebook, codes: Sequence[Code], examples: Sequence[Example], generation: dict[str, Any],
                 budget: int, *, context: int | None = None, answer: int = 0) -> list[Batch]:
    """Batches of codes whose prompts fit ``budget`` tokens (themes kept whole where they fit; E659).

    Few-shot examples are dropped from a batch (last first) before its codes are split further.
    ``context`` and ``answer`` (context_tokens and max_tokens) only word the E659 message.
    """
    base = estimate_tokens(INSTRUCTIONS) + MESSAGE_OVERHEAD
    sizes = {c.id: estimate_tokens(code_block(c)) + 1 for c in codes}
    for c in codes:
        if base + sizes[c.id] > budget:
            raise InputError(Errors.E659.format(code=c.id, needed=base + sizes[c.id], room=max(0, budget),
                                                context=budget if context is None else context, answer=answer))
    groups: dict[str, list[Code]] = {}
    for c in codes:
        groups.setdefault(cb.theme_of(c.id).id if c.id in cb else c.id, []).append(c)
    packs: list[list[Code]] = []
    used = budget
    for theme_codes in groups.values():
        theme_size = sum(sizes[c.id] for c in theme_codes)
        if packs and used + theme_size <= budget:
            packs[-1].extend(theme_codes)
            used += theme_size
            continue
        for c in theme_codes:  # a new batch; a theme too large for one is cut between its codes
            if not packs or used + sizes[c.id] > budget or (used > base and c is theme_codes[0]):
                packs.append([])
                used = base
            packs[-1].append(c)
            used += sizes[c.id]
    out = []
    for pack in packs:
        shots = list(examples)
        while True:
            batch = make_batch(pack, shots, generation)
            if messages_tokens(batch.messages) <= budget or not shots:
                out.append(batch)
                break
            shots.pop()
    return out
