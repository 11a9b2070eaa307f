"""Progress for long batches: a rich bar on a terminal, silence when piped."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

MIN_ITEMS = 200  # short batches finish before a bar is worth drawing


@contextmanager
def progress_for(total: int, label: str) -> Iterator[Callable[[], None]]:
    if total < MIN_ITEMS or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
