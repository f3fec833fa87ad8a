"""The report screen's saturation view (methods evidence: Guest, Namey & Chen 2020): the
assessment with the settings chosen in the app (``s``), else the last run's; its export (the
tables, or the figure, recorded as a saturation run); and the dialog of its two settings."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.ui.dialogs import FormDialog

if TYPE_CHECKING:
    from workbench.output import Output
    from workbench.store import Store

HELP = (
    "Saturation (Guest, Namey & Chen 2020): the base is the first groups, whose themes are the "
    "denominator; the run, the groups after it in which new themes are counted. An empty base: "
    "4, or with fewer groups the largest that leaves the run."
)


def assess(store: Store, options: dict[str, Any], provisional: bool) -> dict[str, Any]:
    """The assessment with ``options`` (base and run set with ``s``; an empty base: the default,
    fitted) over the last run's settings; the domain's WorkbenchError where it cannot be made."""
    from workbench.evidence.saturation_project import latest_parameters, params_from, saturation

    given = {k: v for k, v in options.items() if k != "base"}
    params, rest = params_from(latest_parameters(store), **given)
    if "base" in options:
        params = replace(params, base=options["base"])
    return saturation(
        store, params, rest["coder"], rest["order"], rest["orders"], rest["seed"], provisional
    )


def export_saturation(
    store: Store,
    result: dict[str, Any] | None,
    tables: list[Any],
    path: str,
    output: Output,
    recorded: str,
) -> int:
    """The saturation ``tables`` (or, for .png/.svg, the figure) to ``path`` by the output rule,
    recorded as a run (its number)."""
    from workbench.evidence.figures import saturation_chart
    from workbench.evidence.saturation_project import save_run

    assert result is not None, "exported only once computed (the screen has no tables else)"
    if path.lower().endswith((".png", ".svg")):
        kind = path.lower().rsplit(".", 1)[1]
        output.write(path, lambda tmp: saturation_chart(result, tmp, kind))
    else:
        from workbench.reports.exports import writer

        output.write(path, writer(tables, path))
    return save_run(store, result, [recorded])


def settings_dialog(result: dict[str, Any] | None) -> FormDialog:
    """The method's two settings, as two labelled fields (checked as the command line does),
    from those of ``result`` (the assessment shown, if any); read the answer with
    :func:`chosen_settings`."""
    current = result["parameters"] if result else {"base": "", "run": 2}

    def check(values: dict) -> str | None:
        for name, label in (("base", "base size"), ("run", "run length")):
            text = values[name].strip()
            if not (text.isdigit() and int(text) >= 1) and not (name == "base" and not text):
                return f"The {label} is a whole number of focus groups, 1 or more."
        return None

    fields = [
        ("base", "Base size", str(current["base"] or "")),
        ("run", "Run length", str(current["run"])),
    ]
    return FormDialog(HELP, fields, check)


def chosen_settings(values: dict[str, str]) -> dict[str, Any]:
    """The settings typed in :func:`settings_dialog` (an empty base: None, the default)."""
    base = values["base"].strip()
    return {"base": int(base) if base else None, "run": int(values["run"])}
