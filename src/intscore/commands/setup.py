"""What the setup commands do: `init --from` (a scoring.yaml for an export's own headers) and
`estimates template` (a blank estimator's file for the top of the ranking). Nothing here
prints."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..model.loading import load_config
from ..problems import IntscoreError
from ..read.inputs import Inputs, Watch, read_table
from ..read.readers import ReadOptions
from .core import rank_files, resolve_config

if TYPE_CHECKING:
    from ..analyses.infer import Inferred

__all__ = ["estimates_template", "infer_from_file"]


def estimates_template(
    inputs: Inputs, top: int, stem: str | None = None, watch: Watch | None = None
) -> str:
    """A blank estimator's file for the top `top` integrations of the inputs,
    ranked without estimates; `stem` (the file's name without .yaml) picks the fields `who`
    gives it."""
    from ..analyses.estimates_template import template_fields, template_text
    from ..model.estimates import Estimates

    loaded = resolve_config(inputs.config, inputs.files, estimates=False)
    model = loaded.model
    fields = template_fields(model, stem)
    assert model.estimates is not None  # template_fields refuses a config without
    blank = Estimates(model.estimates, model.estimates.folder, stands_for=tuple(fields))
    unestimated = replace(loaded, model=replace(model, estimated=blank))
    ranking = rank_files(inputs.files, unestimated, inputs.read, watch, inputs.as_of)
    return template_text(ranking, model, fields, top, loaded.source)


def infer_from_file(path: str, options: ReadOptions | None = None, sample: int = 500) -> Inferred:
    """A scoring.yaml for a file's own headers, from its first `sample` rows, with the
    `read:` options `rank` will need to read it alike (the encoding and delimiter given, a
    decimal mark its numbers show against the file's, the header's line where it is not
    found by the integration's header, the sheet)."""
    from itertools import islice

    from ..analyses.infer import infer_config
    from ..numbers import AMBIGUOUS, decimal_mark

    options = options or ReadOptions()
    table = read_table(path, options)
    if table.name_column is not None:
        raise IntscoreError(
            f"{path} maps integration names to rows; init --from needs a table with a header"
        )
    rows = [cells for _, cells in islice(table.rows, sample)]
    marks = {decimal_mark(cell) for row in rows for cell in row} - {None, AMBIGUOUS}
    comma = table.decimal_comma if options.decimal is None and len(marks) != 1 else "," in marks
    read: dict[str, str | int] = {}
    for key in ("encoding", "delimiter", "sheet"):
        given = getattr(options, key)
        if given:
            read[key] = given
    if table.delimiter not in (None, ",", "\t") and "delimiter" not in read:
        read["delimiter"] = table.delimiter
    if comma != table.decimal_comma or options.decimal is not None:
        read["decimal"] = "," if comma else "."
    inferred = infer_config(path, table.header, rows, load_config(None).model, read, comma)
    column = inferred.columns.get("integration")
    if column and table.header_line > 1:
        found = read_table(path, replace(options, name_headers=(column,)))
        close = getattr(found.rows, "close", None)
        if close:
            close()
        if found.header_line != table.header_line:
            read["header_row"] = table.header_line
            inferred = infer_config(path, table.header, rows, load_config(None).model, read, comma)
    return inferred
