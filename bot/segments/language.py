"""The segment filter language (#7): text marketers write, parsed into `bot.segments`.

    or    := and ("or" and)*
    and   := not ("and" not)*
    not   := "not" not | atom
    atom  := "(" or ")" | FIELD OP value | FIELD ["not"] "in" "[" value ("," value)* "]"
           | FUNC "(" arg ")" | "everyone"
    FIELD := a built-in field | "field." custom-field-name
    OP    := = | != | < | <= | > | >= | contains
    FUNC  := consent | tag | channel | dnc | has
    value := "double" | 'single' | number | bare-word

Keywords, fields, functions and choice values are case-insensitive; text values and tag
names are kept as written. `describe` prints a segment back in this language.

A custom lead field (`field.heard_from`) takes =, !=, contains, in and not in; and <, <=,
>, >= with a number or a YYYY-MM-DD date. Given the current lead fields, the parser also
refuses a name the file does not define and values or operators the field's type cannot
have, and reads a choice's label as its id; without them (a campaign already running when
a field was removed) any well-formed name is read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, cast

from bot.custom_fields import NAME, LeadFields
from bot.errors import InvalidField
from bot.segments import (
    CHOICE_FIELDS,
    CUSTOM_PREFIX,
    FIELDS,
    HAS_FIELDS,
    OPS,
    OPS_BY_KIND,
    And,
    Compare,
    Consent,
    DoNotContact,
    Everyone,
    Has,
    InList,
    Not,
    OnChannel,
    Op,
    Or,
    Segment,
    Tag,
    Value,
    custom_name,
    field_kind,
)
from bot.types import CHANNELS, DNC_CHANNELS, PURPOSES, Channel, DncChannel, Purpose

# Deep enough for any real segment, shallow enough to stay far from Python's recursion
# limit, so "((((…" is a SegmentError rather than a RecursionError.
MAX_DEPTH = 64


@dataclass
class SegmentError(ValueError):
    text: str
    position: int
    message: str

    def __str__(self) -> str:
        start = self.text.rfind("\n", 0, self.position) + 1
        end = self.text.find("\n", self.position)
        line = self.text[start : len(self.text) if end < 0 else end]
        return f"{self.message}\n  {line}\n  {' ' * (self.position - start)}^"


# --- tokens -------------------------------------------------------------------------

Kind = Literal["(", ")", "[", "]", ",", "op", "string", "number", "word", "end"]


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # a string's content without quotes; otherwise as written
    position: int


_SYMBOLS = re.compile(r"!=|<=|>=|[=<>()\[\],]")
_WORD = re.compile(r"(?:\w|-(?=\.?[0-9])|\.(?=[0-9]))[\w.+@-]*")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_QUOTES = "\"'"
_PUNCTUATION = frozenset("()[],")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        token, position = _next_token(text, position)
        tokens.append(token)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _next_token(text: str, position: int) -> tuple[Token, int]:
    if text[position] in _QUOTES:
        return _quoted(text, position)
    symbol = _SYMBOLS.match(text, position)
    if symbol:
        word = symbol.group()
        kind = cast(Kind, word if word in _PUNCTUATION else "op")
        return Token(kind, word, position), symbol.end()
    bare = _WORD.match(text, position)
    if bare is None:
        raise SegmentError(text, position, f"unexpected character {text[position]!r}")
    kind = "number" if _NUMBER.fullmatch(bare.group()) else "word"
    return Token(kind, bare.group(), position), bare.end()


def _quoted(text: str, start: int) -> tuple[Token, int]:
    quote, chars, position = text[start], [], start + 1
    while position < len(text) and text[position] != quote:
        # A backslash takes the next character as it is: \" \' \\.
        if text[position] == "\\" and position + 1 < len(text):
            position += 1
        chars.append(text[position])
        position += 1
    if position >= len(text):
        raise SegmentError(text, start, "unterminated string")
    return Token("string", "".join(chars), start), position + 1


# --- parser -------------------------------------------------------------------------


def parse_segment(text: str, fields: LeadFields | None = None) -> Segment:
    """The segment `text` describes; a SegmentError points at the first mistake.
    `fields`: the current custom lead fields, to check conditions on them strictly."""
    parser = _Parser(text, tokenize(text), fields)
    segment = parser.parse_or()
    parser.expect("end", "'and', 'or' or the end")
    return segment


class _Parser:
    def __init__(self, text: str, tokens: list[Token], fields: LeadFields | None = None) -> None:
        self.text = text
        self.tokens = tokens
        self.custom = _CustomFields(text, fields)
        self.index = 0
        self.depth = 0

    # helpers

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    def at_keyword(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text.lower() == word

    def expect(self, kind: Kind, wanted: str) -> Token:
        if self.peek().kind != kind:
            raise self.error(f"expected {wanted}")
        return self.advance()

    def error(self, message: str, token: Token | None = None) -> SegmentError:
        token = token or self.peek()
        found = "the end" if token.kind == "end" else repr(token.text)
        return SegmentError(self.text, token.position, f"{message}, found {found}")

    def nested(self, parse: Callable[[], Segment]) -> Segment:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            opening = self.tokens[self.index - 1]  # the "(" or "not" just read
            raise SegmentError(self.text, opening.position, "segment nested too deeply")
        try:
            return parse()
        finally:
            self.depth -= 1

    # grammar

    def parse_or(self) -> Segment:
        parts = [self.parse_and()]
        while self.at_keyword("or"):
            self.advance()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def parse_and(self) -> Segment:
        parts = [self.parse_not()]
        while self.at_keyword("and"):
            self.advance()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_not(self) -> Segment:
        if not self.at_keyword("not"):
            return self.parse_atom()
        self.advance()
        return Not(self.nested(self.parse_not))

    def parse_atom(self) -> Segment:
        token = self.peek()
        if token.kind == "(":
            self.advance()
            inner = self.nested(self.parse_or)
            self.expect(")", "')'")
            return inner
        if token.kind != "word":
            raise self.error("expected a condition")
        name = token.text.lower()
        if name in ("and", "or", "in", "contains"):
            raise self.error("expected a condition")
        if name == "everyone":
            self.advance()
            return Everyone()
        if name in _FUNCTIONS:
            return self.parse_function(name)
        return self.parse_condition()

    def parse_function(self, name: str) -> Segment:
        self.advance()
        self.expect("(", f"'(' after {name}")
        argument = self.peek()
        if argument.kind not in ("word", "string", "number"):
            raise self.error(f"expected the argument of {name}()")
        self.advance()
        segment = _FUNCTIONS[name](self, argument)
        self.expect(")", "')'")
        return segment

    def parse_condition(self) -> Segment:
        token = self.advance()
        field = token.text.lower()
        if custom_name(field) is not None:
            self.custom.check_name(token)
        elif field not in FIELDS:
            known = ", ".join(FIELDS)
            raise SegmentError(
                self.text, token.position, f"unknown field {token.text!r}; known: {known}"
            )
        if self.at_keyword("not") or self.at_keyword("in"):
            return self.parse_in_list(field)
        return self.parse_compare(field)

    def parse_compare(self, field: str) -> Compare:
        token = self.advance()
        op = token.text.lower()
        if not (token.kind == "op" or (token.kind == "word" and op == "contains")):
            raise self.error(f"expected an operator ({', '.join(OPS)}) or 'in'", token)
        if custom_name(field) is not None:
            value = self.advance() if self.peek().kind in ("string", "number", "word") else None
            if value is None:
                raise self.error("expected a value")
            return Compare(field, cast(Op, op), self.custom.value(field, op, token, value))
        allowed = OPS_BY_KIND[_kind(field)]
        if op not in allowed:
            raise SegmentError(
                self.text,
                token.position,
                f"{op!r} does not apply to {field}; use {', '.join(allowed)} or in",
            )
        return Compare(field, op, self.parse_value(field))

    def parse_in_list(self, field: str) -> InList:
        negated = self.at_keyword("not")
        if negated:
            self.advance()
            if not self.at_keyword("in"):
                raise self.error("expected 'in' after 'not'")
        self.advance()
        self.expect("[", "'['")
        values = [self.parse_value(field)]
        while self.peek().kind == ",":
            self.advance()
            values.append(self.parse_value(field))
        self.expect("]", "',' or ']'")
        return InList(field, tuple(values), negated)

    def parse_value(self, field: str) -> Value:
        token = self.peek()
        if token.kind not in ("string", "number", "word"):
            raise self.error("expected a value")
        self.advance()
        if custom_name(field) is not None:
            return self.custom.value(field, "=", token, token)
        kind = _kind(field)
        if kind == "number":
            return self.number_value(field, token)
        if kind == "choice":
            return self.choice_value(field, token)
        return token.text

    def number_value(self, field: str, token: Token) -> float:
        if token.kind != "number":
            raise SegmentError(
                self.text, token.position, f"{field} is a number, not {token.text!r}"
            )
        return float(token.text)

    def choice_value(self, field: str, token: Token) -> str:
        return self.choose(field, CHOICE_FIELDS[field], token)

    def choose(self, what: str, allowed: tuple[str, ...], token: Token) -> str:
        for value in allowed:
            if value.lower() == token.text.lower():
                return value
        raise SegmentError(
            self.text,
            token.position,
            f"{token.text!r} is not a valid {what}; one of {', '.join(allowed)}",
        )

    # functions: one each, given the argument token

    def consent(self, argument: Token) -> Segment:
        return Consent(cast(Purpose, self.choose("consent purpose", PURPOSES, argument)))

    def tag(self, argument: Token) -> Segment:
        if not argument.text:
            raise SegmentError(self.text, argument.position, "a tag needs a name")
        return Tag(argument.text)

    def channel(self, argument: Token) -> Segment:
        return OnChannel(cast(Channel, self.choose("channel", CHANNELS, argument)))

    def dnc(self, argument: Token) -> Segment:
        return DoNotContact(cast(DncChannel, self.choose("dnc channel", DNC_CHANNELS, argument)))

    def has(self, argument: Token) -> Segment:
        if custom_name(argument.text.lower()) is not None:
            self.custom.check_name(argument)
            return Has(argument.text.lower())
        return Has(self.choose("field for has()", HAS_FIELDS, argument))


_ORDERING = frozenset(("<", "<=", ">", ">="))
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The operators each type of custom field can have, once its type is known.
_CUSTOM_OPS: dict[str, frozenset[str]] = {
    "choice": frozenset(("=", "!=")),
    "yes_no": frozenset(("=", "!=")),
    "number": frozenset(("=", "!=", *_ORDERING)),
    "date": frozenset(("=", "!=", *_ORDERING)),
}
_TEXT_OPS = frozenset(("=", "!=", "contains"))


@dataclass
class _CustomFields:
    """Conditions on custom lead fields: loose without the current fields, strict with."""

    text: str
    fields: LeadFields | None

    def check_name(self, token: Token) -> None:
        name = token.text.lower()[len(CUSTOM_PREFIX) :]
        if not NAME.match(name):
            raise self._error(token, f"{token.text!r} is not a custom field's name")
        if self.fields is not None and self.fields.get(name) is None:
            known = ", ".join(CUSTOM_PREFIX + n for n in self.fields.names) or "none are defined"
            raise self._error(token, f"unknown lead field {token.text!r}; lead fields: {known}")

    def value(self, field: str, op: str, op_token: Token, token: Token) -> Value:
        name = field[len(CUSTOM_PREFIX) :]
        defined = self.fields.get(name) if self.fields is not None else None
        if defined is None:
            return self._loose(field, op, token)
        allowed = _CUSTOM_OPS.get(defined.type, _TEXT_OPS)
        if op not in allowed:
            ops = ", ".join(sorted(allowed))
            raise self._error(op_token, f"{op!r} does not apply to {field}; use {ops} or in")
        if op == "contains":  # a part of a value, not a value of its own
            return token.text
        try:
            value = defined.normalize(token.text)
        except InvalidField as error:
            raise self._error(token, f"{field}: {error.reason}") from None
        return float(value) if defined.type == "number" else value

    def _loose(self, field: str, op: str, token: Token) -> Value:
        if token.kind == "number" and op != "contains":
            return float(token.text)
        if op in _ORDERING and not _ISO_DATE.fullmatch(token.text):
            raise self._error(token, f"{op} on {field} needs a number or a date (YYYY-MM-DD)")
        return token.text

    def _error(self, token: Token, message: str) -> SegmentError:
        return SegmentError(self.text, token.position, message)


_FUNCTIONS: dict[str, Callable[[_Parser, Token], Segment]] = {
    "consent": _Parser.consent,
    "tag": _Parser.tag,
    "channel": _Parser.channel,
    "dnc": _Parser.dnc,
    "has": _Parser.has,
}


def _kind(field: str) -> Literal["text", "number", "choice"]:
    kind = field_kind(field)
    if kind is None:  # only FIELDS get here
        raise AssertionError(field)
    return kind


# --- printing -----------------------------------------------------------------------

_KEYWORDS = frozenset({"and", "or", "not", "in", "contains", "everyone"})


def describe(segment: Segment) -> str:
    """The segment in the filter language, canonically: parse_segment(describe(s)) == s
    for every segment the parser can produce."""
    match segment:
        case Compare(field, op, value):
            return f"{field} {op} {_value(field, value)}"
        case InList(field, values, negated):
            items = ", ".join(_value(field, value) for value in values)
            return f"{field} {'not in' if negated else 'in'} [{items}]"
        case Consent(purpose):
            return f"consent({purpose})"
        case Tag(name):
            return f"tag({_quote(name)})"
        case OnChannel(channel):
            return f"channel({channel})"
        case DoNotContact(channel):
            return f"dnc({channel})"
        case Has(field):
            return f"has({field})"
        case Everyone():
            return "everyone"
    return _describe_logic(segment)


def _describe_logic(segment: Segment) -> str:
    match segment:
        case And(parts):
            # An empty And holds for everyone, an empty Or for no one.
            return " and ".join(_operand(part, segment) for part in parts) or "everyone"
        case Or(parts):
            return " or ".join(_operand(part, segment) for part in parts) or "not everyone"
        case Not(part):
            return f"not {_operand(part, segment)}"
    raise TypeError(f"not a segment: {segment!r}")


def _operand(part: Segment, parent: Segment) -> str:
    # Only an And inside an Or reads the same without parentheses; anything else nested
    # is bracketed so that it parses back to the same tree.
    bare = not isinstance(part, (And, Or)) or (isinstance(parent, Or) and isinstance(part, And))
    text = describe(part)
    return text if bare else f"({text})"


def _value(field: str, value: Value) -> str:
    if isinstance(value, float):
        return _number(value)
    if field_kind(field) == "choice" and _is_bare_word(value):
        return value
    return _quote(value)


def _number(value: float) -> str:
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    # Decimal avoids repr's exponent form (1e-07), which the tokenizer does not read.
    return format(Decimal(repr(value)), "f")


def _is_bare_word(value: str) -> bool:
    return (
        _WORD.fullmatch(value) is not None
        and _NUMBER.fullmatch(value) is None
        and value.lower() not in _KEYWORDS
    )


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
