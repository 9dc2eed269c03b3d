"""A JSON Schema of an object (an API payload, a record) -> a one-table DatasetSpec.

Read: the object's properties and their types, formats (email, date, date-time, uuid, uri),
enum, minimum/maximum (and their exclusive forms) and required. A nested object becomes
columns named parent_child (address_city); an array or a schema that is not an object is
refused, naming the field. A column's kind comes from its name first, as everywhere.
"""

from __future__ import annotations

import json
import re
from typing import Any

from helpers.spec import ColumnSpec, DatasetSpec, SpecError, TableSpec
from helpers.spec_columns import (
    catalog_table,
    guess_primary_key,
    infer_column,
    with_options,
    with_range,
)
from helpers.specs import column_spec

TYPES = {"integer": "integer", "number": "real", "string": "text", "boolean": "boolean"}
FORMATS = {  # format -> (type, the kind a name without a clue gets)
    "email": ("text", "email"), "date": ("date", "date"), "date-time": ("timestamp", "datetime"),
    "uuid": ("uuid", "uuid"), "uri": ("text", "url"), "url": ("text", "url"),
}


def snake(text: str) -> str:
    """'Customer Orders' or 'customerOrders' -> 'customer_orders'."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "records"


def flatten(schema: dict, prefix: str, where: str) -> list[tuple[str, dict, bool, str]]:
    """(column name, its schema, required?, where) for every leaf property, nested ones as
    parent_child."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        raise SpecError(f"{where}: an object schema needs 'properties' to make columns from")
    required = set(schema.get("required", []))
    leaves = []
    for name, sub in properties.items():
        here = f"{where}.properties.{name}"
        if not isinstance(sub, dict):
            raise SpecError(f"{here}: a property's schema must be an object")
        kind = sub.get("type")
        kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
        column = f"{prefix}{snake(name)}"
        if kind == "object" or (kind is None and "properties" in sub):
            leaves += flatten(sub, f"{column}_", here)
        elif kind == "array":
            raise SpecError(f"{here}: an array cannot be one column; describe its items as a "
                            "table of their own (a CREATE TABLE with a foreign key)")
        else:
            leaves.append((column, {**sub, "type": kind}, name in required, here))
    return leaves


def is_number(value: object) -> bool:
    """A JSON number (true and false are not numbers, though Python says they are ints)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def bounds(schema: dict, step: float, where: str) -> tuple[float | None, float | None]:
    """The lowest and highest value a property allows: minimum/maximum as they are, and the
    exclusive forms one step inside (a number in drafts 6+, a flag on minimum in draft 4)."""
    found = []
    for inclusive, exclusive, sign in (("minimum", "exclusiveMinimum", 1),
                                       ("maximum", "exclusiveMaximum", -1)):
        bound, strict = schema.get(inclusive), schema.get(exclusive)
        if bound is not None and not is_number(bound):
            raise SpecError(f"{where}: {inclusive} must be a number, got {bound!r}")
        if isinstance(strict, bool):  # draft 4: the flag makes minimum itself exclusive
            bound = bound + sign * step if strict and bound is not None else bound
        elif strict is not None:
            if not is_number(strict):
                raise SpecError(f"{where}: {exclusive} must be a number, got {strict!r}")
            inside = strict + sign * step
            bound = inside if bound is None else (max if sign > 0 else min)(bound, inside)
        found.append(bound)
    return found[0], found[1]


def known_tail(name: str) -> str:
    """The longest tail of a nested property's flattened name that the catalog knows
    (customer_address_postal_code -> postal_code), or the name itself: a nested object's
    properties are named by their last part, not by the object they sit in."""
    if column_spec(name)[1] == "catalog":
        return name
    words = name.split("_")
    for i in range(1, len(words)):
        tail = "_".join(words[i:])
        if column_spec(tail)[1] == "catalog":
            return tail
    return name


def nested_references(columns: list[ColumnSpec]) -> None:
    """A nested column's references to its siblings by their own names (a postcode's city_of
    'city') become the siblings' flattened names (customer_address_city)."""
    names = {c.name for c in columns}
    for column in columns:
        prefix = column.name[:column.name.rfind("_") + 1] if "_" in column.name else ""
        while prefix:
            for key in ("of", "city_of", "currency_of"):
                ref = column.params.get(key)
                if isinstance(ref, str) and ref not in names and prefix + ref in names:
                    column.params[key] = prefix + ref
            prefix = prefix[:prefix[:-1].rfind("_") + 1]


def column_from(name: str, schema: dict, table: str | None, where: str,
                warnings: list[str]) -> ColumnSpec:
    """One property as a column: its name's kind, or its format's, type, enum and range."""
    given = schema.get("type")
    if given is not None and given not in TYPES:
        raise SpecError(f"{where}: unknown type {given!r} (one of {', '.join(TYPES)}, object)")
    fmt = FORMATS.get(schema.get("format", ""))
    type_ = fmt[0] if fmt and given in (None, "string") else TYPES.get(given or "string")
    # a nested property (customer.address.city: customer_address_city) is what its last part
    # names; a top-level name is read whole (price_currency is money, not a currency code)
    nested = where.count(".properties.") > 1
    look = known_tail(name) if nested else name
    column, warning = infer_column(look, type_, table)
    column.name, warning = name, warning and warning.replace(look, name, 1)
    if given in (None, "string") and not fmt and column.type == "text":
        by_name, _ = infer_column(look, None, table)  # a date or a uuid written as a string
        by_name.name = name
        if by_name.type in ("date", "timestamp", "uuid"):
            column = by_name
    if fmt and warning:  # the name gives no clue: the format does
        column.kind, column.params, warning = fmt[1], {}, None
    if "enum" in schema:
        if not isinstance(schema["enum"], list) or not schema["enum"]:
            raise SpecError(f"{where}: enum must be a non-empty list")
        with_options(column, [v for v in schema["enum"] if v is not None])
    else:
        low, high = bounds(schema, 1 if column.type == "integer" else 0.01, where)
        if low is not None or high is not None:
            try:
                with_range(column, low, high)
            except SpecError as e:
                raise SpecError(f"{where}: {str(e).removeprefix(name + ': ')}") from None
        elif warning:
            warnings.append(warning)
    return column


def spec_from_json_schema(schema: Any, name: str | None = None) -> DatasetSpec:
    """A DatasetSpec of one table from a JSON Schema (a dict, or its JSON text)."""
    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except json.JSONDecodeError as e:
            raise SpecError(f"the JSON Schema is not valid JSON (line {e.lineno}: "
                            f"{e.msg})") from None
    if not isinstance(schema, dict):
        raise SpecError("a JSON Schema must be an object, got " + type(schema).__name__)
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind != "object":
        raise SpecError(f"the JSON Schema describes {kind or 'no type'!r}, not an object: only "
                        "an object's properties can become a table's columns")
    table = snake(name or schema.get("title") or "records")
    catalog, warnings = catalog_table(table), []
    leaves = flatten(schema, "", "schema")
    columns = [column_from(n, s, catalog, w, warnings) for n, s, _, w in leaves]
    nested_references(columns)
    for column, (_, _, required, _) in zip(columns, leaves, strict=True):
        column.not_null = required
    keys = guess_primary_key(columns)
    for column in columns:
        column.not_null = column.not_null or column.name in keys
    return DatasetSpec([TableSpec(table, columns, keys, catalog=catalog)], warnings).validate()
