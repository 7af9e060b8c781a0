"""The one error a statement file can raise: it names the file and the line or element."""

from tegoed.domain.errors import DomainError


class StatementFileError(DomainError):
    """A statement file that cannot be read; nothing from it is imported."""

    def __init__(
        self, file_name: str, problem: str, *, line: int | None = None, element: str = ""
    ) -> None:
        where = []
        if element:
            where.append(f"element {element}")
        if line:
            where.append(f"line {line}")
        location = f" ({', '.join(where)})" if where else ""
        # A message is shown on a page and in a terminal: never a whole field of the file.
        problem = problem if len(problem) <= 300 else problem[:300] + "…"
        super().__init__(f"{file_name}{location}: {problem}")
        self.file_name = file_name
        self.line = line
        self.element = element
        self.problem = problem
