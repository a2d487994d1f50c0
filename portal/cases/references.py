"""A case's reference, in one format wherever a case is made (issue 15 item 12: live cases
and the demonstration's used two): "MB-2026-00042" — the year the case was opened (or a
series letter, such as the demonstration history's "H") and a five-digit number."""


def case_reference(series: int | str, number: int) -> str:
    return f"MB-{series}-{number:05d}"
