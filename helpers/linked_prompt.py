"""Prompts that ask for tables that belong together: "50 customers and their 200 orders".

A small layer on top of read_prompt (the model and its training are untouched): the words
of data/relations.json find two tables a relation links, a number just before a table's word
is that table's row count ("each" or "per" makes it a fixed count per parent), and the model's
reading still gives the locale. The LinkedReading says what it read, like PromptReading.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from helpers.catalog import load_catalog, read_json
from helpers.linked_plan import DEFAULT_ROWS
from helpers.paths import data_file
from helpers.slots import PromptReading, parse_count
from helpers.spec import Cardinality, DatasetSpec, ForeignKey, TableSpec
from helpers.spec_columns import guess_primary_key, infer_column

NUMBER = r"(\d[\d,]*|[a-z]+(?:[ -][a-z]+)?)"  # 200, 1,000, two hundred
PARENT_FIRST = re.compile(  # customers | and their | orders
    r",?\s*(and|with|plus|having|who\s+\w+|each\s+with)(\s+(their|its|the|all\s+their|some))?\s*")
CHILD_FIRST = re.compile(  # orders | for | customers
    r",?\s*(for|of|from|by|per|belonging\s+to|(placed|made|written|issued|opened)\s+(by|to|for))"
    r"(\s+(each|every|the|their|these|all|some))?\s*")
EACH_CHILDREN = 3  # children per parent when the prompt gives neither count (1 to 5)


@lru_cache(maxsize=1)
def load_relations() -> dict:
    """data/relations.json: table names and words, extra parent tables, the relations."""
    return read_json(data_file("relations.json"))


def table_columns(table: str) -> list[str]:
    """A catalog table's columns, or an extra parent's from data/relations.json."""
    return list(load_catalog().get(table) or load_relations()["tables"][table])


@dataclass
class LinkedReading:
    """Two linked tables read from a prompt, with the words each count came from."""

    prompt: str
    parent: str  # catalog (or relations.json) table ids
    child: str
    column: str  # child.column -> parent.ref
    ref: str
    rows: dict[str, int | None] = field(default_factory=dict)  # by spec name; None: not said
    per_parent: int | None = None  # "3 orders each": a fixed count per parent
    evidence: dict[str, str] = field(default_factory=dict)
    reading: PromptReading | None = None  # the model's reading of the whole prompt
    notes: list[str] = field(default_factory=list)  # what the prompt asks that is not made

    @property
    def locale(self) -> str | None:
        """The place the model read in the prompt ('German': de_DE), if any."""
        return self.reading.locale if self.reading is not None else None

    def name(self, table: str) -> str:
        """The name a table has in the spec: orders, not ecommerce."""
        return load_relations()["names"][table]["name"]

    def summary(self, rows: int | None = None) -> str:
        """One line: 'read: 2 linked tables, customers (50 rows) and orders (200 rows); ...'
        (rows: what a table the prompt does not size gets, --rows or the API's rows)."""
        parent, child = self.name(self.parent), self.name(self.child)
        one = parent[:-1] if parent.endswith("s") else parent
        said = self.rows.get(parent)
        first = (f"{parent} ({said or rows} rows)" if said or rows else
                 f"{parent} ({DEFAULT_ROWS} rows, the default)")
        count = self.rows.get(child)
        second = (f"{child} ({count} rows)" if count else
                  f"{child} ({self.per_parent} per {one})" if self.per_parent is not None else
                  f"{child} (1 to {2 * EACH_CHILDREN - 1} per {one}, the default)")
        locale = f", {self.locale}" if self.locale else ""
        return (f"read: 2 linked tables, {first} and {second}{locale}; "
                f"{child}.{self.column} -> {parent}.{self.ref}")

    def to_dict(self) -> dict:
        """The reading as JSON-ready data, with the summary line."""
        return {**asdict(self), "summary": self.summary()}

    def spec(self) -> DatasetSpec:
        """The DatasetSpec of both tables, the child's foreign key on the parent's key."""
        tables = []
        relation = next((r for r in load_relations()["relations"] if (r["child"], r["column"],
                         r["parent"]) == (self.child, self.column, self.parent)), {})
        for table in (self.parent, self.child):
            names = table_columns(table)
            if table == self.child and self.column not in names:
                names.insert(1, self.column)  # after the child's own key
            if table == self.child:  # a book of an author is no loan: no member, no due date
                names = [n for n in names if n not in relation.get("drop", ())]
            catalog = table if table in load_catalog() else None
            columns = [infer_column(n, None, catalog, structural=True)[0] for n in names]
            for column in columns:  # a book's author is its author's name (helpers.linked_dates)
                if table == self.child and column.name in relation.get("copy", {}):
                    column.params["copy"] = {"through": self.column,
                                             "column": relation["copy"][column.name]}
            keys = guess_primary_key(columns)
            for column in columns:
                column.not_null = column.name in keys or (table == self.child
                                                          and column.name == self.column)
            tables.append(TableSpec(self.name(table), columns, keys,
                                    rows=self.rows.get(self.name(table)), catalog=catalog))
        if self.per_parent is not None:
            card = Cardinality("fixed", self.per_parent, self.per_parent)
        elif tables[1].rows is None:
            card = Cardinality("uniform", 1, 2 * EACH_CHILDREN - 1)
        else:
            card = Cardinality()
        tables[1].foreign_keys.append(ForeignKey(self.column, tables[0].name, self.ref, card))
        return DatasetSpec(tables).validate()


def find_words(prompt: str, table: str) -> re.Match | None:
    """Where the prompt names a table (longest word first), with the count just before it."""
    words = sorted(load_relations()["names"][table]["words"], key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    pattern = rf"(?:\b{NUMBER}\s+(?:[a-z]+\s+)?)?\b(?P<word>{alternatives})\b"
    return re.search(pattern, prompt.lower())


def count_before(match: re.Match) -> tuple[int | None, str]:
    """The row count written before a table's word ('200 orders'), and the words it came from."""
    if match.group(1) is None:
        return None, ""
    count = parse_count(match.group(1))
    if count is None:  # 'German customers': the word before is no number
        return None, ""
    return count, match.group(0)


def linked_by_words(prompt: str, parent: re.Match, child: re.Match) -> bool:
    """True when the words between two tables link them: 'customers and their orders',
    'orders for customers'; not 'invoices with customer names' (one table, a column)."""
    parent_start, child_start = start_of(parent), start_of(child)
    if parent.end() <= child_start:
        return PARENT_FIRST.fullmatch(prompt[parent.end():child_start]) is not None
    if child.end() <= parent_start:
        return CHILD_FIRST.fullmatch(prompt[child.end():parent_start]) is not None
    return False


def start_of(match: re.Match) -> int:
    """Where a table's mention starts: at its count when it has one, else at its word."""
    return match.start() if count_before(match)[0] is not None else match.start("word")


def read_linked(prompt: str, reading: PromptReading | None = None) -> LinkedReading | None:
    """Two linked tables the prompt names, or None when it names fewer (then read_prompt's
    one table stands). `reading`: the model's reading when the caller has it already."""
    found = []
    for relation in load_relations()["relations"]:
        child, parent = find_words(prompt, relation["child"]), find_words(prompt,
                                                                          relation["parent"])
        if child and parent and linked_by_words(prompt.lower(), parent, child):
            found.append((relation, parent, child))
    if not found:
        return None
    relation, parent, child = min(found, key=lambda f: min(f[1].start(), f[2].start()))
    linked = LinkedReading(prompt, relation["parent"], relation["child"], relation["column"],
                           relation["ref"], reading=reading)
    linked.notes = more_tables(prompt, linked, (parent, child))
    for table, match in ((relation["parent"], parent), (relation["child"], child)):
        count, words = count_before(match)
        linked.rows[linked.name(table)] = count
        if words:
            linked.evidence[linked.name(table)] = words
    words = "|".join(re.escape(w) for w in load_relations()["names"][relation["child"]]["words"])
    each = re.search(rf"\b{NUMBER}\s+(?:{words})\s+(?:each|per\s+\w+)\b|"
                     rf"\beach\s+with\s+{NUMBER}\s+(?:{words})\b", prompt.lower())
    if each:
        per = parse_count(each.group(1) or each.group(2))
        if per is not None:
            linked.per_parent, linked.evidence["per_parent"] = per, each.group(0).strip()
            linked.rows[linked.name(relation["child"])] = None  # the count per parent decides
    if reading is None:
        from helpers.reading import read_prompt  # the weights load only when asked for

        linked.reading = read_prompt(prompt)
    return linked


def more_tables(prompt: str, linked: LinkedReading, found: tuple[re.Match, re.Match]) -> list[str]:
    """A line for the tables the prompt names beyond the two it links ('customers and their
    orders and their payments': payments), which are not made."""
    taken = [(m.start("word"), m.end("word")) for m in found]
    more = []
    for table in load_relations()["names"]:
        match = find_words(prompt, table)
        if table not in (linked.parent, linked.child) and match and not any(
                match.start("word") < end and start < match.end("word") for start, end in taken):
            more.append(match.group("word"))
    if not more:
        return []
    return [f"{', '.join(map(repr, more))}: not made; a prompt links two tables "
            f"({linked.name(linked.parent)} and {linked.name(linked.child)}): for more, "
            "give a schema (--schema, or POST /tables with a spec)"]


def spec_from_prompt(prompt: str) -> tuple[DatasetSpec, LinkedReading | PromptReading]:
    """The spec a prompt asks for and the reading that says so (its summary() is the receipt):
    two linked tables when it names them, else the one table read_request reads
    (NotADatasetRequest when none)."""
    from helpers.pipeline import read_request

    reading = read_request(prompt)
    linked = read_linked(prompt, reading)
    if linked is not None:
        return linked.spec(), linked
    columns = [infer_column(c, None, reading.table)[0] for c in reading.columns]
    keys = guess_primary_key(columns)
    for column in columns:
        column.not_null = column.name in keys
    table = TableSpec(reading.table or "records", columns, keys, rows=reading.rows,
                      catalog=reading.table)
    return DatasetSpec([table]).validate(), reading
