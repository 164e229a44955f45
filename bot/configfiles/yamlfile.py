"""One YAML file, read safely: a size cap, an alias-expansion cap, duplicate keys reported, and
the line of every value, so that an error can say where it is.

PyYAML's node API gives the lines (its composed nodes carry their marks) and the keys as
written; the data itself is built by PyYAML's safe constructor from the same nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.errors import ConfigError

# The largest catalogue we ship is 18 KB and 1,000 sources take about 120 KB; PyYAML reads
# about 0.5 MB/s on a busy 2-core machine, so 1 MB stays within seconds (50 MB never ended).
MAX_BYTES = 1_000_000
# Aliases may repeat what is written, not multiply it: nested aliases eight levels deep made
# validation and error messages run for minutes ("billion laughs").
MAX_VALUES = 100_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


@dataclass
class YamlFile:
    path: Path
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)  # (key or index, …) → 1-based line
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, text): duplicate keys

    def line(self, loc: tuple) -> int:
        """The line of the value at `loc`, or of the nearest enclosing value that has one."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def at(self, loc: tuple) -> str:
        """ "path:line", as every problem starts."""
        return f"{self.path}:{self.line(loc)}"


class Problems:
    """The problems of one file, each "file:line: who: what", in line order."""

    def __init__(self, doc: YamlFile):
        self.doc = doc
        self.items: list[tuple[int, str]] = list(doc.problems)

    def add(self, loc: tuple, text: str, who: str = "") -> None:
        line = self.doc.line(loc)
        self.items.append((line, f"{self.doc.path}:{line}: {who + ': ' if who else ''}{text}"))

    def texts(self) -> list[str]:
        return [text for _, text in sorted(self.items, key=lambda item: item[0])]

    def __bool__(self) -> bool:
        return bool(self.items)


def read(path: Path) -> YamlFile:
    """Parse one file; ConfigError (one line) when it is missing, too large or not YAML."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ConfigError(
                [f"{path}: {size:,} bytes is too large for a config file (at most {MAX_BYTES:,})"]
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except UnicodeDecodeError as e:
        raise ConfigError([f"{path}: not UTF-8 text (byte {e.start:,} cannot be read)"]) from None
    except OSError as e:
        raise ConfigError([f"{path}: cannot read: {e.strerror or e}"]) from None
    return parse(path, text)


def parse(path: Path, text: str) -> YamlFile:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlFile(path, None)
        _check_expansion(path, node)
        doc = YamlFile(path, None)
        _index(loader, node, doc)
        doc.data = loader.construct_document(node)
        return doc
    except yaml.MarkedYAMLError as e:
        raise ConfigError([_syntax(path, e)]) from None
    except yaml.YAMLError as e:
        raise ConfigError([f"{path}: not valid YAML: {e}"]) from None
    finally:
        loader.dispose()


_CONTEXTS = {
    "while parsing a flow sequence": "the [ list ] that starts on line {}",
    "while parsing a flow mapping": "the { mapping } that starts on line {}",
    "while parsing a block mapping": "the mapping that starts on line {}",
    "while parsing a block collection": "the list that starts on line {}",
    "while scanning a quoted scalar": "the quoted text that starts on line {}",
    "while scanning a simple key": "the key on line {}",
    "while constructing a mapping": "the mapping that starts on line {}",
}


def _syntax(path: Path, e: yaml.MarkedYAMLError) -> str:
    mark = e.problem_mark or e.context_mark
    where = f"{path}:{mark.line + 1}" if mark else str(path)
    problem = e.problem or "not valid YAML"
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return f"{where}: the YAML tag {tag} is not allowed (plain values, lists and mappings only)"
    if problem.startswith("found unhashable key"):
        return f"{where}: a key must be a plain value, not a list or a mapping"
    context = _CONTEXTS.get(e.context or "")
    inside = f" (in {context.format(e.context_mark.line + 1)})" if context and e.context_mark else ""
    return f"{where}: YAML syntax error: {problem}{inside}"


def _check_expansion(path: Path, root: Node) -> None:
    """Count the values the document expands to, each shared node once per use: a depth-first
    walk that sizes each node once, so nesting costs nothing until the count is over the limit."""
    written = sum(1 for _ in _nodes(root))
    limit = max(MAX_VALUES, 2 * written)
    size: dict[int, int] = {}
    open_: set[int] = set()  # on the current path: meeting one again is a cycle
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_.discard(id(node))
            size[id(node)] = total = 1 + sum(size[id(kid)] for kid in _children(node))
            if total > limit:
                raise ConfigError([f"{path}: aliases expand this file to more than {limit:,} values"])
        elif id(node) in open_:
            raise ConfigError([f"{path}:{node.start_mark.line + 1}: an alias refers to itself"])
        elif id(node) not in size:
            open_.add(id(node))
            stack.append((node, True))
            stack.extend((kid, False) for kid in _children(node))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _nodes(root: Node):
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(_children(node))


def _index(loader: yaml.SafeLoader, root: Node, doc: YamlFile) -> None:
    """Record each value's line by its path, and every key written twice in one mapping."""
    stack: list[tuple[Node, tuple]] = [(root, ())]
    checked: set[int] = set()  # mappings whose keys were checked (an alias reaches one again)
    while stack:
        node, loc = stack.pop()
        doc.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, SequenceNode):
            stack.extend((kid, (*loc, i)) for i, kid in enumerate(node.value))
        elif isinstance(node, MappingNode):
            first: dict[Any, int] = {}
            for key_node, value in node.value:
                if key_node.tag == _MERGE or not isinstance(key_node, ScalarNode):
                    continue
                key = loader.construct_object(key_node)
                line = key_node.start_mark.line + 1
                if key in first and id(node) not in checked:
                    text = (
                        f'{doc.path}:{line}: the key "{key}" is written twice in one mapping '
                        f"(first on line {first[key]}; YAML would keep only the last)"
                    )
                    doc.problems.append((line, text))
                first.setdefault(key, line)
                doc.lines.setdefault((*loc, key), line)
                stack.append((value, (*loc, key)))
            checked.add(id(node))
