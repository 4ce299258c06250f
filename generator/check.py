"""`digest check`: signs that a cleaning rule is wrong for some source."""
from __future__ import annotations

from collections import defaultdict

from generator.model import Article

DEFAULT_MAX_SHARE = 0.5


def suspicious_removals(article: Article, max_share: float = DEFAULT_MAX_SHARE) -> list[str]:
    """Rules that removed more than `max_share` of the article's visible text.

    Junk is usually a small part of a page; a rule that takes most of it has probably
    matched the article itself (a marker such as 相关阅读 quoted inside a sentence).
    """
    by_rule: dict[str, int] = defaultdict(int)
    for removal in article.removed:
        by_rule[removal.rule] += removal.chars
    kept = sum(1 for ch in article.text if not ch.isspace())
    total = kept + sum(by_rule.values())
    if total == 0:
        return []
    return [f"rule {rule!r} removed {chars / total:.0%} of the article's text ({chars} of {total} characters)"
            for rule, chars in sorted(by_rule.items()) if chars / total > max_share]
