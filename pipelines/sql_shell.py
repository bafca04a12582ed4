"""SQL on the published warehouse, read-only, with the DuckDB library that wrote it (a CLI of
another DuckDB version may not read the file).

    python -m pipelines.sql_shell                 # interactive
    python -m pipelines.sql_shell --query "..."   # one query, printed as a table

Statements end with ';'. `.tables` lists the tables and views, `.quit` leaves. Without a
terminal, statements are read from standard input (`... < queries.sql`).

The published file is a snapshot the pipeline replaces at the end of each run: a session
keeps the snapshot it opened (reopen the shell to see a newer run), and writes would be lost,
so there is no read-write mode. To keep tables of your own, use a file of your own and
`ATTACH 'warehouse/incidents.duckdb' AS w (READ_ONLY)`.
"""

import argparse
import atexit
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import duckdb
import polars as pl

from pipelines import settings

HISTORY = settings.cache_dir() / "sql_history"
TABLES_QUERY = ("SELECT table_schema, table_name, table_type FROM information_schema.tables "
                "WHERE table_schema = 'main' ORDER BY table_name")
QUIT = {".quit", ".exit", "\\q"}


def run(conn: duckdb.DuckDBPyConnection, statement: str, out: TextIO = sys.stdout) -> None:
    """Execute one statement and print its rows (if any) as a table."""
    relation = conn.sql(statement)
    if relation is None:
        print("ok", file=out)
        return
    frame = relation.pl()
    with pl.Config(tbl_rows=200, tbl_cols=30, fmt_str_lengths=80, tbl_width_chars=200,
                   tbl_hide_dataframe_shape=False):
        print(frame, file=out)


def statements(lines: Iterator[str]) -> Iterator[str]:
    """Complete statements (ending with ';') from lines; dot-commands stand alone."""
    buffer: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not buffer and stripped in QUIT:
            return
        if not buffer and stripped == ".tables":
            yield TABLES_QUERY
            continue
        if not stripped and not buffer:
            continue
        buffer.append(line.rstrip("\n"))
        if stripped.endswith(";"):
            yield "\n".join(buffer)
            buffer = []
    if "".join(buffer).strip():
        yield "\n".join(buffer)


def _prompted_lines() -> Iterator[str]:
    """Lines typed at a terminal; Ctrl-D leaves."""
    prompt = "sql> "
    while True:
        try:
            line = input(prompt)
        except EOFError:
            print()
            return
        prompt = "...> " if line.strip() and not line.strip().endswith(";") else "sql> "
        yield line


def _enable_history() -> None:
    """Line editing, and a history kept across sessions."""
    import readline

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(HISTORY)

    with contextlib.suppress(OSError):
        HISTORY.parent.mkdir(parents=True, exist_ok=True)
        readline.read_history_file(HISTORY)
    readline.set_history_length(1000)
    atexit.register(save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--query", "-q", help="run one statement and exit")
    parser.add_argument("--path", type=Path, default=settings.warehouse_path())
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"no warehouse at {args.path}: run `make run` first")
    conn = duckdb.connect(str(args.path), read_only=True)
    try:
        if args.query:
            try:
                run(conn, args.query)
            except duckdb.Error as error:
                sys.exit(f"error: {error}")
            return
        interactive = sys.stdin.isatty()
        if interactive:
            _enable_history()
            print(f"DuckDB {duckdb.__version__} on {args.path} (read-only snapshot). "
                  "End statements with ';', .tables lists tables, .quit leaves.")
        for statement in statements(_prompted_lines() if interactive else sys.stdin):
            try:
                run(conn, statement)
            except duckdb.Error as error:
                print(f"error: {error}", file=sys.stderr)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
