"""Load YAML and JSON safely, keeping the line of every mapping, key and list item.

YAML is built from the parser's event stream with an explicit stack, so deep nesting cannot
overflow the C stack, tags that construct objects are refused, duplicate keys are errors, and
alias expansion is bounded. JSON uses the stdlib decoder with hooks for lines and duplicates.
"""

from __future__ import annotations

import bisect
import json
import json.scanner
import math
import re
from collections.abc import Callable
from typing import Any

from ..text import shorten
from .lines import odd_character

__all__ = [
    "LinedDict",
    "LinedList",
    "StructureError",
    "line_of",
    "load_json",
    "load_yaml",
]

MAX_DEPTH = 64
MAX_NODES = 2_000_000
MAX_DIGITS = 400  # longer integers are refused, not converted (Python stops at 4,300 digits)


class StructureError(ValueError):
    """A document that cannot be used, with the line where the trouble is."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class LinedDict(dict[Any, Any]):
    """A dict that remembers its own line and the line of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class LinedList(list[Any]):
    """A list that remembers its own line and the line of each item."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int = 0):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def line_of(data: Any, path: tuple[Any, ...]) -> int | None:
    """The line of the deepest element of `path` that exists in `data`."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, LinedDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LinedList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


# --- YAML --------------------------------------------------------------------------------------

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAGS = {None, "!", "tag:yaml.org,2002:map"}
_SEQ_TAGS = {None, "!", "tag:yaml.org,2002:seq"}


def load_yaml(text: str) -> Any:
    """Parse one YAML document into plain values, LinedDict and LinedList."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    builder = _YamlBuilder(yaml)
    try:
        while (event := loader.get_event()) is not None:
            builder.take(event)
    except StructureError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise StructureError(f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise StructureError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return builder.root


class _YamlBuilder:
    """Builds the document from the parser's events with an explicit stack (no recursion),
    refusing tags that build objects, duplicate keys, more than one document, nesting past
    MAX_DEPTH and more than MAX_NODES nodes (alias expansion)."""

    def __init__(self, yaml: Any):
        self.yaml = yaml
        self.events = yaml.events
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}
        # Each stack entry: [container, pending_key, key_line, anchor, node_count, line]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0
        self.total_nodes = 0

    def take(self, event: Any) -> None:
        """One parser event."""
        events = self.events
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, events.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise StructureError("more than one YAML document in the file", line)
        elif isinstance(event, events.ScalarEvent):
            value = _scalar(event, self.resolver, self.constructor, line)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self.add(value, line, 1)
        elif isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
            self.open(event, line, isinstance(event, events.MappingStartEvent))
        elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
            container, _, _, anchor, size, start = self.stack.pop()
            if anchor:
                self.anchors[anchor] = (container, size)
            self.add(container, start, size)
        elif isinstance(event, events.AliasEvent):
            if event.anchor not in self.anchors:
                raise StructureError(f"unknown alias {event.anchor!r}", line)
            value, size = self.anchors[event.anchor]
            self.add(value, line, size)

    def open(self, event: Any, line: int, is_map: bool) -> None:
        """A mapping or a list begins."""
        if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            raise StructureError(f"YAML tag {event.tag!r} is not allowed", line)
        if len(self.stack) >= MAX_DEPTH:
            raise StructureError(f"nested more than {MAX_DEPTH} levels deep", line)
        container = LinedDict(line) if is_map else LinedList(line)
        self.stack.append([container, _NO_KEY, 0, event.anchor, 1, line])

    def add(self, value: Any, line: int, size: int) -> None:
        """A finished value, into the container being built (or as the document)."""
        self.total_nodes += size
        if self.total_nodes > MAX_NODES:
            raise StructureError("document too large (alias expansion?)", line)
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top[4] += size
        container = top[0]
        if isinstance(container, LinedList):
            container.append(value)
            container.item_lines.append(line)
        elif top[1] is _NO_KEY:
            if isinstance(value, dict | list):
                raise StructureError("a mapping key must be a plain value", line)
            if isinstance(value, bool):
                # `yes: 2` and `1: 2` must not collide (True == 1 in a dict).
                value = "true" if value else "false"
            if value in container:
                raise StructureError(f"duplicate key {str(value)!r}", line)
            top[1], top[2] = value, line
        else:
            container[top[1]] = value
            container.key_lines[top[1]] = top[2]
            top[1] = _NO_KEY


class _NoKey:
    __slots__ = ()


_NO_KEY = _NoKey()


def _scalar(event: Any, resolver: Any, constructor: Any, line: int) -> Any:
    import yaml

    odd = odd_character(event.value)  # "\0" and "\ud800" escapes make them
    if odd is not None:
        raise StructureError(odd[1], line)
    tag = event.tag
    if tag in (None, "!"):
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    elif tag not in _SCALAR_TAGS:
        raise StructureError(f"YAML tag {tag!r} is not allowed", line)
    if tag == "tag:yaml.org,2002:int" and len(event.value) > MAX_DIGITS:
        raise StructureError(f"a number with {len(event.value):,} digits is too long", line)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        value = constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        shown = shorten(event.value)
        raise StructureError(f"invalid YAML value {shown!r}: {shorten(str(exc))}", line) from None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise StructureError(f"{event.value!r} is not a finite number", line)
    return value


# --- JSON --------------------------------------------------------------------------------------


def load_json(text: str) -> Any:
    """Parse JSON into plain values, LinedDict and LinedList; NaN/Infinity and duplicate
    keys are errors."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_at(pos: int) -> int:
        return bisect.bisect_left(newlines, pos) + 1

    def refuse_constant(name: str) -> Any:
        # The decoder does not say where; the first such token outside a string is it.
        found = re.search(rf'(?<![\w"]){re.escape(name)}(?![\w"])', text)
        line = line_at(found.start()) if found else None
        raise StructureError(f"{name} is not a valid number in JSON", line)

    def parse_int(digits: str) -> int:
        if len(digits) > MAX_DIGITS:
            line = line_at(text.find(digits))
            raise StructureError(f"a number with {len(digits):,} digits is too long", line)
        return int(digits)

    def parse_string(s: str, end: int, strict: bool = True) -> tuple[str, int]:
        value, new_end = _scanstring(s, end, strict)
        _check_text(value, line_at(end))
        return value, new_end

    # The stdlib decoder's hooks for strings, objects and arrays are attributes it does not declare.
    decoder: Any = json.JSONDecoder(parse_constant=refuse_constant, parse_int=parse_int)
    decoder.parse_string = parse_string
    plain_object = decoder.parse_object
    plain_array = decoder.parse_array
    depth = [0]

    def enter(pos: int) -> None:
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise StructureError(f"nested more than {MAX_DEPTH} levels deep", line_at(pos))

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        _, end = s_and_end
        enter(end)
        line = line_at(end - 1)

        def pairs_hook(pairs: list[tuple[str, Any]]) -> LinedDict:
            result = LinedDict(line)
            for key, value in pairs:
                _check_text(key, line)
                if key in result:
                    raise StructureError(f"duplicate key {key!r}", line)
                result[key] = value
                result.key_lines[key] = _item_line(value, line)
            return result

        # JSONObject(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo)
        rest = list(args)
        rest[3] = pairs_hook
        obj, new_end = plain_object(s_and_end, *rest)
        depth[0] -= 1
        return obj, new_end

    def parse_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[Any, int]:
        _, end = s_and_end
        enter(end)
        items, new_end = plain_array(s_and_end, scan_once)
        result = LinedList(line_at(end - 1))
        result.extend(items)
        result.item_lines = [_item_line(v, result.line) for v in items]
        depth[0] -= 1
        return result, new_end

    decoder.parse_object = parse_object
    decoder.parse_array = parse_array
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        value, end = decoder.raw_decode(text, _skip_ws(text, 0))
    except json.JSONDecodeError as exc:
        raise StructureError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise StructureError("nested too deeply") from None
    if _skip_ws(text, end) != len(text):
        raise StructureError("invalid JSON: extra data after the document", line_at(end))
    return value


# The decoder's own string scanner (C when available), which the stubs do not declare.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _check_text(text: str, line: int) -> None:
    """Refuse a string holding a NUL or a lone surrogate (from `\\u0000`, `\\ud800`)."""
    if not text.isascii() or "\0" in text:
        odd = odd_character(text)
        if odd is not None:
            raise StructureError(odd[1], line)


def _item_line(value: Any, default: int) -> int:
    return getattr(value, "line", default)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
