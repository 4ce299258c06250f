from pathlib import Path

import pytest

from generator.config import ConfigError, SiteConfig, load_config


def test_defaults_without_site_toml(tmp_path: Path):
    config = load_config(tmp_path / "site.toml")
    assert config.title and config.language == "zh-CN" and config.timezone == "Asia/Shanghai"
    assert config.source_dir == tmp_path / "content" and config.output_dir == tmp_path / "output"


def test_every_problem_is_reported_at_once_with_its_key(tmp_path: Path):
    site = tmp_path / "site.toml"
    site.write_text('page_size = 0\nbase_url = "example.org"\ntimezone = "Mars/Base"\ncolour = "red"\ntitle = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(site)
    problems = info.value.problems
    assert any(p.endswith("colour: unknown setting (known: base_url, description, feed_items, feed_max_age_days, language, non_policy, output, page_size, remote_images, rules, search, source, summary_length, taxonomy, theme, timezone, title)") for p in problems)
    assert any(p.endswith("title: must be a string, got 3") for p in problems)
    assert len(problems) == 2  # type problems first; values are checked once the types are right


def test_value_problems_all_reported(tmp_path: Path):
    site = tmp_path / "site.toml"
    site.write_text('page_size = 0\nbase_url = "example.org"\ntimezone = "Mars/Base"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(site)
    assert [p.split(": ", 2)[1] for p in info.value.problems] == ["base_url", "page_size", "timezone"]


def test_toml_syntax_error_names_the_file(tmp_path: Path):
    site = tmp_path / "site.toml"
    site.write_text('title = "unclosed\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(site)
    assert info.value.problems[0].startswith(f"{site}: ")


def test_config_is_frozen_and_base_path_is_derived(tmp_path: Path):
    site = tmp_path / "site.toml"
    site.write_text('base_url = "https://example.org/digest"\n', encoding="utf-8")
    config = load_config(site)
    assert config.base_url == "https://example.org/digest/" and config.base_path == "/digest/"
    with pytest.raises(Exception):
        config.title = "x"  # type: ignore[misc]
    assert isinstance(config, SiteConfig)


def test_non_policy_choice_is_checked(tmp_path: Path):
    site = tmp_path / "site.toml"
    site.write_text('non_policy = "hide"\nsummary_length = 0\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(site)
    assert info.value.problems == [
        f"{site}: non_policy: must be one of publish, separate, drop, got 'hide'",
        f"{site}: summary_length: must be at least 1, got 0",
    ]
