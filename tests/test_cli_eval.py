"""`veille eval …` hands its arguments to the evaluation modules' argparse `main`."""

from __future__ import annotations

import pytest
import typer

from veille.cli_eval import delegate


def test_cli_eval_delegate_passes_set_options_and_positionals_only() -> None:
    seen: list[list[str]] = []

    def main(argv: list[str]) -> int:
        seen.append(argv)
        return 0

    delegate(main, ["gold.jsonl", None], {"--corpus": None, "--errors": 3})
    assert seen == [["gold.jsonl", "--errors", "3"]]


def test_cli_eval_delegate_exits_with_the_module_code() -> None:
    with pytest.raises(typer.Exit) as raised:
        delegate(lambda argv: 2, [], {})
    assert raised.value.exit_code == 2
