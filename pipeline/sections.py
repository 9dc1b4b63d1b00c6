"""A ledger's sections as the page and the workbook lay them out: for each ledger column (在谈
/ 拟签约 / 拟开工 / 拟投产 / 投产未达产) its summary, its totals, its table's columns
(projects.lifecycle.LEDGER_TABLE) and its rows."""

from projects.lifecycle import LEDGER_COLUMNS, LEDGER_TOTAL_FIELDS, PIPELINE_STAGES, ledger_table


def ledger_sections(data: dict, *, page: bool = False, cells: bool = True) -> list[dict]:
    """The ledger's sections in column order, each with its summary, its totals (as computed
    in the database), its columns (projects.lifecycle.ledger_table: the page's, or all of them
    for the workbook) and its rows; for the page, the totals row's cells — (column, its total)
    — and, unless cells=False (the page builds them for the slice it shows), each row's
    (section_table)."""
    sections = {}
    for stage in PIPELINE_STAGES:
        entry = data["summary"][stage]
        sections[stage] = {
            **entry,
            "stage": stage,
            "label": str(LEDGER_COLUMNS[stage]),
            "columns": ledger_table(stage, page=page),
            "totals": {field: entry.get(field) for field in LEDGER_TOTAL_FIELDS},
            "rows": [],
        }
    for row in data.get("rows", ()):
        if row["stage"] in sections:
            sections[row["stage"]]["rows"].append(row)
    if page:
        for section in sections.values():
            if cells:
                section["table"] = section_table(section, section["rows"])
            section["footer"] = [(column, section["totals"].get(column.key)) for column in section["columns"]]
    return list(sections.values())


def section_table(section: dict, rows) -> list:
    """The page's cells of `rows`: (row, [(column, its values), ...]) in the section's columns."""
    columns = section["columns"]
    return [
        (row, [(column, [row.get(field) for field in column.fields]) for column in columns]) for row in rows
    ]
