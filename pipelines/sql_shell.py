"""SQL on the warehouse with the DuckDB library that wrote it (a CLI of another DuckDB
version may not read the file).

    python -m pipelines.sql_shell                 # interactive, read-only
    python -m pipelines.sql_shell --query "..."   # one query, printed as a table
    python -m pipelines.sql_shell --write         # allow writes (stop other writers first)

Statements end with ';'. `.tables` lists the tables and views, `.quit` leaves. Without a
terminal, statements are read from standard input.
"""

import argparse
import sys
from pathlib import Path

import duckdb
import polars as pl

from pipelines import settings

TABLES_QUERY = ("SELECT table_schema, table_name, table_type FROM information_schema.tables "
                "WHERE table_schema = 'main' ORDER BY table_name")


def run(conn: duckdb.DuckDBPyConnection, statement: str, out=sys.stdout) -> None:
    """Execute one statement and print its rows (if any) as a table."""
    relation = conn.sql(statement)
    if relation is None:
        print("ok", file=out)
        return
    frame = relation.pl()
    with pl.Config(tbl_rows=200, tbl_cols=30, fmt_str_lengths=80, tbl_width_chars=200,
                   tbl_hide_dataframe_shape=False):
        print(frame, file=out)


def _statements(interactive: bool):
    buffer: list[str] = []
    while True:
        try:
            line = input("sql> " if not buffer else "...> ") if interactive else sys.stdin.readline()
        except EOFError:
            line = ""
            if interactive:
                print()
        if not interactive and line == "":
            break
        if interactive and line == "" and not buffer:
            continue
        stripped = line.strip()
        if not buffer and stripped in {".quit", ".exit", "\\q"}:
            break
        if not buffer and stripped == ".tables":
            yield TABLES_QUERY
            continue
        buffer.append(line)
        if stripped.endswith(";"):
            yield "\n".join(buffer)
            buffer = []
    if buffer and "".join(buffer).strip():
        yield "\n".join(buffer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--query", "-q", help="run one statement and exit")
    parser.add_argument("--path", type=Path, default=settings.warehouse_path())
    parser.add_argument("--write", action="store_true", help="open read-write")
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"no warehouse at {args.path}: run `make run` first")
    conn = duckdb.connect(str(args.path), read_only=not args.write)
    try:
        if args.query:
            run(conn, args.query)
            return
        interactive = sys.stdin.isatty()
        if interactive:
            import readline  # noqa: F401  (line editing and history for input())

            mode = "read-write" if args.write else "read-only"
            print(f"DuckDB {duckdb.__version__} on {args.path} ({mode}). "
                  "End statements with ';', .tables lists tables, .quit leaves.")
        for statement in _statements(interactive):
            try:
                run(conn, statement)
            except duckdb.Error as error:
                print(f"error: {error}", file=sys.stderr)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
