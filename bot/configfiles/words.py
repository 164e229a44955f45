"""Problems in words: a value as it was written, "did you mean", and pydantic's validation
errors as plain sentences (no "Input should be a valid dictionary", no regular expressions)."""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel  # only pydantic's errors need it: the catalogue checks do not


def show(value: Any) -> str:
    """A value as a person wrote it: "text" quoted, true/false, numbers; containers by kind."""
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}..."'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return {type(None): "empty", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def kind(value: Any) -> str:
    """What was found, for "must be X, not …": 'the text "x"', 'the number 5', 'a list'."""
    if isinstance(value, str):
        return f"the text {show(value)}"
    if isinstance(value, bool):
        return show(value)
    if isinstance(value, int | float):
        return f"the number {show(value)}"
    return show(value)


def close_matches(name: str, choices: Iterable[str]) -> list[str]:
    """The choice spelt most like `name` (case ignored), if one is close."""
    by_lower = {c.lower(): c for c in choices}
    return [by_lower[c] for c in difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)]


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """'; did you mean "x"?' when a choice is close, else ''."""
    close = close_matches(name, choices)
    return f"; did you mean {' or '.join(show(c) for c in close)}?" if close else ""


def typos(errors: list[dict], model: type[BaseModel]) -> set[tuple]:
    """Locations of required fields that an unknown field nearby probably misspells ("chanel"
    for channel): their "is missing" would only repeat the did-you-mean."""
    found = set()
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and (inner := model_at(model, loc[:-1])):
            found |= {(*loc[:-1], c) for c in close_matches(str(loc[-1]), inner.model_fields)}
    return found


@dataclass(frozen=True)
class Wording:
    """What one file's fields mean, for the sentences: forms behind patterns, examples."""

    forms: dict[str, str] = field(default_factory=dict)  # field → what its pattern means
    mappings: dict[str, str] = field(default_factory=dict)  # model name → an example mapping
    lists: dict[str, str] = field(default_factory=dict)  # field → an example list
    # Fields whose value is not repeated in a message: a URL may carry a password or an API key,
    # and config errors go to logs (the line number already says which value it is).
    unshown: frozenset[str] = frozenset()


def describe(err: dict, model: type[BaseModel], wording: Wording) -> str:
    """One pydantic error (of `model`) as "field: what is wrong", in words."""
    loc = tuple(err["loc"])
    names = [str(p) for p in loc if not isinstance(p, int)]
    path = ".".join(names)
    if err["type"] == "extra_forbidden":
        parent = ".".join(names[:-1])
        inner = model_at(model, loc[:-1])
        choices = list(inner.model_fields) if inner else []
        hint = did_you_mean(names[-1], choices) or (
            f"; the fields are {', '.join(choices)}" if choices else ""
        )
        return f"{parent + ': ' if parent else ''}unknown field {show(names[-1])}{hint}"
    if err["type"] == "missing":
        return f"{path} is missing"
    sentence = _sentence(err, names[-1] if names else "", wording)
    return f"{path}: {sentence}" if path else sentence


def _sentence(err: dict, last: str, wording: Wording) -> str:
    type_, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if type_ == "value_error":  # our own validators already speak plainly
        return str(ctx.get("error") or err["msg"].removeprefix("Value error, "))
    if type_ == "string_pattern_mismatch":
        written = "the value" if last in wording.unshown else show(value)
        return f"{written} {wording.forms.get(last, 'is not in the expected form')}"
    if type_ == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        return f"{show(value)} is not one of {', '.join(choices)}{hint}"
    if type_ in ("model_type", "model_attributes_type", "dict_type"):
        expected = wording.mappings.get(ctx.get("class_name", last), "a mapping (field: value lines)")
        return f"must be {expected}, not {kind(value)}"
    if type_ == "list_type":
        return f"must be a list such as {wording.lists.get(last, '[a, b]')}, not {kind(value)}"
    if type_ == "string_type":
        return f"must be text, not {kind(value)}"
    if type_ in ("bool_parsing", "bool_type"):
        return f"must be true or false, not {kind(value)}"
    if type_ in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return f"must be a number, not {kind(value)}"
    if type_ == "string_too_long":
        return f"{show(value)} is longer than {ctx.get('max_length')} characters"
    return f"{err['msg'].replace('Input should be', 'must be')}, not {kind(value)}"


def model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    """The model that validates the value at `loc` below `model`, if any."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        found = model.model_fields.get(str(part))
        model = _inner_model(found.annotation) if found else None
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as `Digest | None` or `list[Team]`."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if found := _inner_model(arg):
            return found
    return None
