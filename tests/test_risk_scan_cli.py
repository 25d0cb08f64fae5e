"""`facilitator risk scan [TEXT|-] [--json]`: what a facilitator or a script sees."""

from __future__ import annotations

import json

import pytest

from facilitator.cli import COMMANDS, load_command


def test_json_is_exactly_one_object_with_the_indicators_and_the_highest_severity(invoke):
    result = invoke(
        "risk", "scan", "He put his hands round her throat and she's leaving him.", "--json"
    )
    assert result.exit_code == 0
    data = json.loads(result.output)  # the whole output is one JSON document
    assert set(data) == {"indicators", "severity"}
    assert data["severity"] == "critical"
    assert data["indicators"][0] == {
        "category": "strangulation",
        "severity": "critical",
        "match": "hands round her throat",
        "start": 11,
        "end": 33,
        "source": "rule",
        "words": ["hands round her throat"],
    }
    assert {i["category"] for i in data["indicators"]} == {"strangulation", "separation"}
    for ind in data["indicators"]:
        assert set(ind) == {"category", "severity", "match", "start", "end", "source", "words"}


# The rules have no pattern for this; the learned layer weighs the sentence.
MODEL_TEXT = "Partner says he took a loan out in her name and spent it all."


def test_a_suggestion_of_the_learned_layer_shows_its_words_in_json_and_text(invoke):
    data = json.loads(invoke("risk", "scan", MODEL_TEXT, "--json").output)
    model = [i for i in data["indicators"] if i["source"] == "model"]
    assert model and all(i["words"] for i in model)
    ind = model[0]
    assert MODEL_TEXT[ind["start"] : ind["end"]] == ind["match"]
    text = invoke("risk", "scan", MODEL_TEXT).output
    assert "raised by" in text and f"model: {', '.join(ind['words'])}" in text


def test_nothing_found_is_null_severity_in_json_and_a_plain_line_in_text(invoke):
    data = json.loads(invoke("risk", "scan", "Work is killing me.", "--json").output)
    assert data == {"indicators": [], "severity": None}
    assert (
        invoke("risk", "scan", "We had a nice weekend.").output.strip()
        == "no risk indicators found"
    )


def test_text_output_lists_category_severity_span_and_words(invoke):
    out = invoke("risk", "scan", "I didn't hit her but I did push her.").output
    assert "physical_violence" in out and "push her" in out and "27-35" in out
    assert "highest severity: high" in out
    assert "hit her" not in out.replace("push her", "")


def test_reads_standard_input_with_a_dash_or_no_text(invoke):
    text = "He's been following her.\nHe grabbed her by the neck.\n"
    for args in (("risk", "scan", "-", "--json"), ("risk", "scan", "--json")):
        data = json.loads(invoke(*args, input=text).output)
        found = [i["category"] for i in data["indicators"]]
        assert found[0] == "stalking" and "strangulation" in found
        for ind in data["indicators"]:
            assert text[ind["start"] : ind["end"]] == ind["match"]


def test_several_words_without_quotes_are_scanned_as_one_text(invoke):
    data = json.loads(invoke("risk", "scan", "I'll", "end", "her", "--json").output)
    assert data["indicators"][0]["match"] == "end her"


def test_the_workspace_rules_file_and_severity_settings_are_used(invoke, isolated_workspace):
    from facilitator.curriculum.locate import bundled_curricula_dir
    from facilitator.storage.workspace import Workspace

    Workspace.init(isolated_workspace, "Test Programme", bundled_curricula_dir())
    (isolated_workspace / "risk_rules.toml").write_text(
        "[categories.threats_to_kill]\npatterns = ['''sleep\\s+with\\s+the\\s+fishes''']\n",
        encoding="utf-8",
    )
    data = json.loads(
        invoke("risk", "scan", "He told her she'll sleep with the fishes.", "--json").output
    )
    assert [i["category"] for i in data["indicators"]] == ["threats_to_kill"]

    ws = Workspace(isolated_workspace)
    settings = ws.read_settings()
    settings.setdefault("risk", {}).setdefault("severity", {})["substance_misuse"] = "high"
    ws.write_settings(settings)
    assert (
        json.loads(invoke("risk", "scan", "He was off his face.", "--json").output)["severity"]
        == "high"
    )


def test_an_explicit_rules_file_and_a_broken_one(invoke, tmp_path):
    good = tmp_path / "good.toml"
    good.write_text("[categories.weapons]\npatterns = ['''zorblade''']\n", encoding="utf-8")
    data = json.loads(
        invoke("risk", "scan", "--rules", str(good), "He has a zorblade.", "--json").output
    )
    assert data["severity"] == "critical"

    bad = tmp_path / "bad.toml"
    bad.write_text("[categories.weapons]\npatterns = ['''knife(''']\n", encoding="utf-8")
    result = invoke("risk", "scan", "--rules", str(bad), "anything")
    assert result.exit_code == 2
    assert "weapons" in result.output and "Traceback" not in result.output


def test_scan_needs_no_workspace(invoke, isolated_workspace):
    assert not isolated_workspace.exists()
    assert (
        json.loads(invoke("risk", "scan", "I slapped her.", "--json").output)["severity"] == "high"
    )


def test_risk_is_registered_as_one_command_family():
    from facilitator.cli.risk import risk

    assert "risk" in COMMANDS
    assert load_command("risk") is risk
    assert {"scan", "raise", "review", "close"} <= set(risk.commands)


@pytest.mark.parametrize("args", [("risk", "--help"), ("risk", "scan", "--help")])
def test_help_explains_the_command(invoke, args):
    out = invoke(*args).output
    assert "scan" in out.lower() and "risk" in out.lower()
