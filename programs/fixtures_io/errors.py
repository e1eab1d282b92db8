"""Problems found in fixture files, each naming its file, record and field."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    record: str  # type/slug, e.g. program/alibaba-air, or "-" for the whole file
    field: str  # field name, e.g. participants[2].organization, or "-" for the whole record
    message: str

    def __str__(self):
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


class FileProblems:
    """The problems of one file, added by record and field."""

    def __init__(self, problems: "Problems", file: str):
        self.problems = problems
        self.file = file

    def add(self, record: str, field: str, message) -> None:
        self.problems.items.append(Problem(self.file, record, field, str(message)))


class Problems:
    """Every problem of an import, in the order found."""

    def __init__(self):
        self.items: list[Problem] = []

    def __bool__(self):
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def for_file(self, file: str) -> FileProblems:
        return FileProblems(self, file)


class FixtureError(Exception):
    """The files cannot be imported; `problems` says why, all of them."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))
