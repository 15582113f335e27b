"""The parameter table holds exactly the parameters postern code reads.

A parameter counts as read when C code outside the table itself uses its
var_<name> variable or names it in a string (conf_raw("name")), or when the
default of a read parameter refers to it with $name (mydestination's
default reads $mydomain).  `postconf -d` prints the table, so a row that
nothing reads would advertise a setting that does nothing.
"""
import pathlib
import re

TOP = pathlib.Path(__file__).resolve().parents[2]
PARAM_ROW = re.compile(r'^PARAM\((\w+),\s*(\w+),\s*((?:"(?:[^"\\]|\\.)*"\s*)+|\w+)', re.M)
TABLE_FILES = {"lib/config/params.c", "lib/config/params.h"}


def table_rows():
    text = (TOP / "lib/config/params.def").read_text()
    rows = {}
    for match in PARAM_ROW.finditer(text):
        default = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(3)))
        rows[match.group(2)] = default
    return rows


def code_text():
    chunks = []
    for path in TOP.rglob("*.c"):
        rel = path.relative_to(TOP).as_posix()
        if rel.startswith(("tests/", "build")) or rel in TABLE_FILES:
            continue
        chunks.append(path.read_text(errors="replace"))
    return "\n".join(chunks)


def referenced_names(text):
    return set(re.findall(r"\$\{?\{?\$?(\w+)", text))


def test_every_parameter_is_read():
    rows = table_rows()
    assert len(rows) > 20, "could not parse lib/config/params.def"
    code = code_text()
    read = {name for name in rows
            if re.search(rf"\bvar_{name}\b", code) or f'"{name}"' in code}
    pending = list(read)
    while pending:
        for name in referenced_names(rows[pending.pop()]):
            if name in rows and name not in read:
                read.add(name)
                pending.append(name)
    unread = sorted(set(rows) - read)
    assert unread == [], f"parameters in params.def that no code reads: {unread}"
