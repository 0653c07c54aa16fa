"""Fixtures for the text stage: a news page we wrote ourselves."""

from __future__ import annotations

import pytest

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Floods force 12,000 from homes in Riverton | Example News</title>
<meta property="article:published_time" content="2024-03-02T08:00:00Z">
<meta name="author" content="Jane Writer">
<script>var tracking = "tracking code must not appear";</script>
<style>body { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li>Sports section link</li></ul></nav>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<article>
<h1>Floods force 12,000 from homes in Riverton</h1>
<p>Heavy rain over the weekend flooded large parts of Riverton, and local officials said about 12,000
people had left their homes by Sunday evening.</p>
<p>The regional emergency office opened 14 shelters in schools and sports halls, where volunteers
handed out blankets and hot meals to arriving families.</p>
<p>Forecasters expect more rain on Tuesday, and the mayor asked residents of the low-lying eastern
districts to be ready to leave at short notice.</p>
</article>
<footer><p>Copyright © 2024 Example News. All rights reserved.</p><p>Subscribe to our newsletter</p></footer>
</body></html>
"""


@pytest.fixture(scope="session")
def news_page() -> str:
    return NEWS_PAGE
