"""Which Excel writer: the same ledger rows written three ways, beside the hand-written SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python -m benchmarks.bench_writers

The 九龙坡区 ledger of last month (pipeline.ledger.ledger, ~11,000 rows at 100k projects) is
computed once; then, in alternation, each writer writes its five column sheets (the columns
of pipeline.exports.ledger_sheet_columns, money as numbers with #,##0.00, dates as dates,
every cell ruled) to memory:

- openpyxl in write-only mode, one WriteOnlyCell per styled cell, a shared style per kind
  (what the product used before);
- XlsxWriter in constant-memory mode, one write_*() call per cell;
- pipeline.xlsx (XlsxWriter in constant-memory mode, the data rows streamed by Sheet.stream):
  what the product uses.

The hand-written SQL of the same rows (benchmarks.bench_ledger.SQL_ROWS) is timed in the same
alternation: the target is the whole export within 2× of it. Medians of --repeat runs.
"""

import argparse
import datetime as dt
import gc
import io
import sys
import time

if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()

from benchmarks.bench_ledger import PIPELINE, SQL_ROWS, ledger_params, run_sql
from benchmarks.common import (
    context_block,
    data_sizes,
    machine,
    markdown_table,
    print_table,
    record_run,
    require_postgres,
    summary,
)
from core.dates import add_months, local_today, month_start

DISTRICT = "jiulongpo"


def sheets(data):
    from pipeline.exports import ledger_sheet_columns
    from pipeline.sections import ledger_sections

    for section in ledger_sections(data):
        yield section["label"], ledger_sheet_columns(section["stage"]), section["rows"]


def openpyxl_write_only(data) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    book = Workbook(write_only=True)
    for label, columns, rows in sheets(data):
        ws = book.create_sheet(str(label))
        styles = {}
        for kind, number_format in (("money", "#,##0.00"), ("date", "yyyy-mm-dd"), ("text", "General")):
            cell = WriteOnlyCell(ws)
            cell.number_format, cell.border = number_format, border
            styles[kind] = cell._style
        ws.append([str(header) for header, *_rest in columns])
        for index, row in enumerate(rows, start=1):
            cells = []
            for _header, key, kind, _width in columns:
                value = index if kind == "index" else row.get(key)
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                cell._style = styles.get(kind, styles["text"])
                cells.append(cell)
            ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsxwriter_per_cell(data) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False})
    formats = {
        "money": book.add_format({"num_format": "#,##0.00", "border": 1}),
        "date": book.add_format({"num_format": "yyyy-mm-dd", "border": 1}),
        "text": book.add_format({"border": 1}),
    }
    for label, columns, rows in sheets(data):
        ws = book.add_worksheet(str(label))
        for col, (header, *_rest) in enumerate(columns):
            ws.write_string(0, col, str(header))
        for line, row in enumerate(rows, start=1):
            for col, (_header, key, kind, _width) in enumerate(columns):
                value = line if kind == "index" else row.get(key)
                fmt = formats.get(kind, formats["text"])
                if value is None or value == "":
                    ws.write_blank(line, col, None, fmt)
                elif kind == "money":
                    ws.write_number(line, col, float(value), fmt)
                elif kind == "date":
                    ws.write_datetime(line, col, value, fmt)
                elif isinstance(value, bool):
                    ws.write_string(line, col, "是" if value else "否", fmt)
                elif isinstance(value, int):
                    ws.write_number(line, col, value, fmt)
                else:
                    ws.write_string(line, col, str(value), fmt)
    book.close()
    return buffer.getvalue()


def product_writer(data) -> bytes:
    from pipeline.exports import ledger_xlsx_bytes

    return ledger_xlsx_bytes(data, area="九龙坡区")


def timed(fn):
    gc.collect()
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Excel writers on the same ledger rows")
    parser.add_argument("--month", help="YYYY-MM (default: last month)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    require_postgres()
    from pipeline.ledger import ledger

    month = (
        dt.date.fromisoformat(args.month + "-01")
        if args.month
        else add_months(month_start(local_today()), -1)
    )
    data = ledger(month, filters={"district": DISTRICT})
    params = ledger_params(month, district=DISTRICT, stages=PIPELINE)
    cases = {
        "hand-written SQL of the rows (the yardstick)": lambda: run_sql(SQL_ROWS, params),
        "ledger query (pipeline.ledger.ledger)": lambda: ledger(month, filters={"district": DISTRICT}),
        "openpyxl write-only, a cell object per cell (before)": lambda: openpyxl_write_only(data),
        "XlsxWriter constant_memory, a write_*() call per cell": lambda: xlsxwriter_per_cell(data),
        "pipeline.xlsx: XlsxWriter constant_memory, rows streamed (after)": lambda: product_writer(data),
    }
    times = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, fn in cases.items():
            print(f"- {name} ...", flush=True)
            times[name].append(timed(fn))
    sql = summary(times["hand-written SQL of the rows (the yardstick)"])["median"]
    query = summary(times["ledger query (pipeline.ledger.ledger)"])["median"]
    headers = ["case", "n", "median ms", "÷ SQL", "query + writer ÷ SQL"]
    rows = []
    for name, values in times.items():
        median = summary(values)["median"]
        writer = "writer" in name or "openpyxl" in name or "XlsxWriter" in name
        rows.append(
            (
                name,
                len(values),
                f"{median * 1000:,.0f}",
                f"{median / sql:.2f}×",
                f"{(query + median) / sql:.2f}×" if writer else "",
            )
        )
    print()
    print_table(headers, rows)
    print(f"  {len(data['rows']):,} rows")
    if not args.no_record:
        info = machine()
        command = " ".join(["python -m benchmarks.bench_writers", *(argv or sys.argv[1:])])
        body = (
            context_block(info, data_sizes(), command)
            + f"- {len(data['rows']):,} rows of the {DISTRICT} ledger of {month:%Y-%m}, five sheets; "
            f"{args.repeat} runs of each case in alternation\n\n" + markdown_table(headers, rows) + "\n"
        )
        record_run("bench_writers", info["date"], body)


if __name__ == "__main__":
    main()
