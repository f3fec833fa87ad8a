"""``workbench guide``: the user guide, built when needed (:mod:`workbench.guide`) and opened in a
browser, or its address printed."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--print",
    "print_only",
    is_flag=True,
    help="Print where the built guide's first page is; do not open a browser.",
)
@click.option("--rebuild", is_flag=True, help="Build the guide again even if it is current.")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Build the guide into this folder (default: your cache folder).",
)
def guide(print_only: bool, rebuild: bool, out: str | None) -> None:
    """Open the user guide in a browser, building it first if needed; or print where it is.

    The guide is built with MkDocs, which comes with `pip install 'workbench[docs]'`; without it
    this says so and where the guide's chapters are, as Markdown files.
    """
    import webbrowser

    from workbench.guide import ensure_built

    built = ensure_built(Path(out) if out else None, rebuild=rebuild)
    if built.built:
        click.echo(f"Built the user guide in {built.index.parent}.", err=True)
    if print_only:
        click.echo(str(built.index))
        return
    try:
        opened = webbrowser.get().open(built.index.resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if opened:
        click.echo(f"Opened the user guide in your browser: {built.index}")
    else:
        click.echo(
            f"No web browser found here; open the user guide in one: {built.index}\n"
            f"(in a terminal, a text browser reads it too: w3m {built.index})"
        )
