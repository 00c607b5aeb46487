"""The rules a column's Table Schema asks for: (id, what it catches, how to fix a failure).

:mod:`visitdata.rules` registers them (first, in this order) and
:mod:`visitdata.pandera_schema` turns each constraint into the pandera check of that id. A new
Table Schema constraint (``minimum``, ``maximum`` ...) gets its row here and its check there.
"""

from __future__ import annotations

SCHEMA_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "column-missing",
        "A column the schema defines is missing from the file.",
        "Add the column to the header row (see the schema in schemas/).",
    ),
    (
        "column-extra",
        "The file has a column the schema does not define.",
        "Remove the column, or add it to the table's schema in schemas/ first.",
    ),
    ("required", "A required cell is empty.", "Fill the cell; the column is required."),
    (
        "type",
        "A cell does not hold a value of the column's type.",
        "Write the value in the column's format (dates as YYYY, YYYY-MM or YYYY-MM-DD, and real calendar dates).",
    ),
    (
        "pattern",
        "A cell does not match the column's pattern.",
        "Write the value in the pattern the schema gives (ids are lower-case slugs, codes upper-case).",
    ),
    (
        "enum",
        "A cell is not in the column's controlled vocabulary.",
        "Use one of the listed values (see the data dictionary in the README).",
    ),
    (
        "unique-key",
        "Two rows share a primary key.",
        "Give each row its own id; never reuse or renumber an existing one.",
    ),
    (
        "foreign-key",
        "A reference names a row that does not exist in the referenced table.",
        "Add the referenced row first, or correct the id (ids are case-sensitive).",
    ),
    (
        "list-items",
        "A list cell has an empty or repeated item.",
        "Separate ids with a single ';' and name each id once.",
    ),
    ("text-whitespace", "A cell starts or ends with white space.", "Remove the leading and trailing spaces."),
    (
        "text-nfc",
        "A cell is not in Unicode normal form C.",
        "Re-type the accented characters, or normalise the file to NFC.",
    ),
    (
        "text-control",
        "A cell holds a control character (such as a line break or tab).",
        "Remove it: write notes on one line.",
    ),
    (
        "text-formula",
        "A cell starts with =, +, - or @, which a spreadsheet would run as a formula.",
        "Reword the cell so it does not start with that character.",
    ),
)
