"""`livingsys graph`: the flow as Mermaid, checked by structure and by Mermaid's own parser."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import REPO

MERMAID_DIR = REPO / "tests" / "mermaid"


def test_graph_draws_step_kinds_distinctly(cli):
    result = cli("graph", "support-triage", "-r", REPO / "registry")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("flowchart TD")
    # AI steps are hexagons, human steps stadiums, automatic steps rectangles.
    assert re.search(r'step_classify\{\{".*"\}\}:::ai', out)
    assert re.search(r'step_agent_validates\(\[".*"\]\):::human', out)
    assert re.search(r'step_receive\[".*"\]:::automatic', out)


def test_graph_marks_client_messages_validations_and_exceptions(cli):
    out = cli("graph", "support-triage", "-r", REPO / "registry").output
    assert 'client[/"✉️ Client"/]:::client' in out
    assert re.search(r"step_send_reply -\.->\|\"email.*\"\| client", out)
    # send-reply has validated_by: a validation branch leads into it.
    assert re.search(r"validate_send_reply -->\|approved\| step_send_reply", out)
    for exception in ("legal_threat", "angry_client", "refund_request"):
        assert f"exception_{exception}[" in out
    assert "handled by" in out and "Guardrails" in out


def test_graph_escapes_quotes_and_brackets(cli, make_registry):
    root = make_registry()
    path = root / "automations" / "reminders.yaml"
    text = path.read_text().replace("does: List unpaid invoices",
                                    'does: "List \\"unpaid\\" <invoices> [all]"')
    path.write_text(text)
    out = cli("graph", "reminders", "-r", root).output
    assert "#quot;unpaid#quot;" in out and "&lt;invoices&gt;" in out
    assert '"unpaid"' not in out


def test_graph_all_is_markdown_with_one_block_per_automation(cli):
    result = cli("graph", "--all", "-r", REPO / "registry")
    assert result.exit_code == 0
    assert result.output.count("```mermaid") == 4
    assert "## Payment reminders" in result.output


def test_graph_unknown_automation_suggests(cli):
    result = cli("graph", "payment-remnders", "-r", REPO / "registry")
    assert result.exit_code == 2
    assert "did you mean 'payment-reminders'" in result.output


def test_graph_refuses_an_invalid_automation(cli, make_registry):
    root = make_registry({"automations/reminders.yaml": "id: reminders\nname: [unclosed\n"})
    result = cli("graph", "reminders", "-r", root)
    assert result.exit_code == 2
    assert "livingsys lint" in result.output


def test_graph_writes_a_file(cli, tmp_path):
    target = tmp_path / "flows.md"
    result = cli("graph", "--all", "-r", REPO / "registry", "-o", target)
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").count("```mermaid") == 4


@pytest.mark.skipif(shutil.which("node") is None,
                    reason="node is not on PATH: Mermaid's parser runs on Node.js")
@pytest.mark.skipif(not (MERMAID_DIR / "node_modules" / "mermaid").exists(),
                    reason="Mermaid's parser is not installed: tests/mermaid/node_modules has "
                           "no mermaid (cd tests/mermaid && npm ci)")
def test_mermaid_parser_accepts_every_demo_graph(cli, tmp_path, make_registry):
    files = []
    for automation in ("payment-reminders", "support-triage", "certificate-requests",
                       "quote-follow-up"):
        target = tmp_path / f"{automation}.mmd"
        assert cli("graph", automation, "-r", REPO / "registry", "-o", target).exit_code == 0
        files.append(str(target))
    # an automation with odd text and no kinds still renders
    root = make_registry({"automations/odd.yaml": """\
        id: odd
        name: "Odd: [brackets] & \\"quotes\\""
        steps:
          - {id: s1, does: "a -> b | c; d {e}"}
        """})
    target = tmp_path / "odd.mmd"
    assert cli("graph", "odd", "-r", root, "-o", target).exit_code == 0
    files.append(str(target))
    broken = tmp_path / "broken.mmd"
    broken.write_text("flowchart TD\n  a[x] -->\n")
    run = subprocess.run(["node", "check.mjs", *files], cwd=MERMAID_DIR, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    run = subprocess.run(["node", "check.mjs", str(broken)], cwd=MERMAID_DIR,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1  # the checker really rejects bad diagrams
