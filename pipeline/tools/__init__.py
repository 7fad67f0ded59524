"""The analyst's commands: eval, rules list/check, explain, show, query.

Each module holds a library function and the thin Typer command over it. The commands
share option types with `pipeline.cli`, which registers them at its end; importing the CLI
first here means a module of this package can be imported on its own (in a test, a
notebook) without meeting a half-initialised `pipeline.cli`.
"""
import pipeline.cli  # noqa: F401  (see above: import order)
