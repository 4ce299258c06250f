"""The CLI contract: build, inspect --json, init, import, --help, --version."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from tests.conftest import FIXTURES

INSPECT_KEYS = {"path", "ok", "errors", "title", "published", "outlet", "origin_url", "author", "editor", "region",
                "regions", "topics", "policy", "summary", "figures", "body_html", "text", "removed", "url"}


def run(*args: str, cwd: Path | None = None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False) if cwd is None else None


def test_help_on_every_command():
    runner = CliRunner()
    for command in ([], ["build"], ["inspect"], ["init"], ["import"], ["serve"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_the_command_exits_with_mains_code_leaving_its_heap_frozen(tmp_path: Path, monkeypatch):
    """`digest` (generator.cli.run) is `main` with an exit that does not collect the build's heap."""
    import gc
    import tomllib

    from generator import cli

    scripts = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert scripts["project"]["scripts"]["digest"] == "generator.cli:run"
    monkeypatch.chdir(tmp_path)
    try:
        for argv, code in ((["digest", "--version"], 0), (["digest", "build", "--source", "missing"], 1)):
            monkeypatch.setattr(sys, "argv", argv)
            gc.unfreeze()
            try:
                cli.run()
            except SystemExit as done:
                assert (done.code or 0) == code, argv
            else:
                raise AssertionError(f"{argv}: main() always ends in SystemExit")
            assert gc.get_freeze_count() > 0, argv
    finally:
        gc.unfreeze()


def test_inspect_json_contract(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good = FIXTURES / "site" / "content" / "national.md"
    bad = FIXTURES / "bad" / "invalid_date.md"
    result = CliRunner().invoke(main, ["inspect", "--json", str(good), str(bad)])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2
    assert INSPECT_KEYS <= set(lines[0]) and lines[0]["ok"] is True
    assert lines[0]["region"] == "全国" and lines[0]["editor"] == "何中夫"
    assert lines[0]["figures"] == []  # its one figure, 3133万人, is the headline's own: not repeated as a key figure
    assert lines[0]["published"] == "2022-06-23T23:54:17+00:00"
    assert any(r["rule"] == "sina-qr-block" for r in lines[0]["removed"])
    assert lines[1]["ok"] is False and lines[1]["errors"] == [{"line": 3, "message": "date: date '2022-02-30' is not a valid date (day is out of range for month)"}]


def test_build_summary_and_strict_exit(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0 and "built 3 articles" in result.output
    shutil.copy(FIXTURES / "bad" / "empty.md", site / "content")
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    strict = CliRunner().invoke(main, ["build", "--strict"])
    assert strict.exit_code == 1 and "content/empty.md: error: file is empty" in strict.output


def test_bad_config_is_reported_without_traceback(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.toml").write_text("page_size = 'ten'\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2 and "site.toml: page_size: must be a whole number, got 'ten'" in result.output
    assert "Traceback" not in result.output


def test_init_then_build(tmp_path: Path, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "new")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "new")
    assert runner.invoke(main, ["build"]).exit_code == 0
    assert (tmp_path / "new" / "output" / "index.html").exists()
    assert runner.invoke(main, ["init", str(tmp_path / "new")]).exit_code == 2


def test_import_writes_an_editable_article(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = FIXTURES / "site" / "content" / "chongqing.txt"
    result = CliRunner().invoke(main, ["import", str(source), "--to", "imported"])
    assert result.exit_code == 0
    (written,) = (tmp_path / "imported").glob("*.md")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 今年以来 重庆市脱贫人口务工规模稳定在81万人以上\n")
    assert "outlet: 新重庆-重庆日报" in text and "\nslug: " in text
    assert "阅读剩余全文" not in text and "<p>9月27日" in text  # the body is cleaned (more in test_import.py)


def test_check_warns_about_a_rule_that_removed_most_of_an_article(tmp_path: Path, monkeypatch):
    (tmp_path / "content").mkdir()
    body = "<p>正文只有一句。</p><p>相关阅读</p>" + "".join(f"<p>别的新闻标题第{i}条，这里是很长的推荐内容。</p>" for i in range(20))
    (tmp_path / "content" / "a.md").write_text(f"---\ntitle: 标题\ndate: 2022-01-01\n---\n\n{body}\n", encoding="utf-8")
    (tmp_path / "content" / "b.md").write_text("---\ntitle: 标题二\ndate: 2022-01-01\n---\n\n<p>完整的一篇文章正文。</p>\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if ": warning: " in line]
    assert len(lines) == 1 and lines[0].startswith("content/a.md: warning: rule 'read-more-and-widgets' removed 9")


def test_a_no_change_rebuild_reads_no_rules_or_taxonomy(tmp_path: Path, monkeypatch):
    """Compiling the cleaning rules was most of a no-change rebuild; it has nothing to clean."""
    import generator.build as build_package
    import generator.build.process as process
    import generator.build.session as session

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    monkeypatch.chdir(site)
    first = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    assert first.exit_code == 0, first.output

    def refuse(config):
        raise AssertionError("the rules and taxonomy were read")
    monkeypatch.setattr(process, "make_pipeline", refuse)
    monkeypatch.setattr(session, "make_pipeline", refuse)
    monkeypatch.setattr(build_package, "make_pipeline", refuse)
    again = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    assert again.exit_code == 0 and "nothing changed" in again.output
