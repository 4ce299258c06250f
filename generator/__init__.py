"""policy-digest: a static site generator for Chinese policy-news digests."""

__version__ = "0.1.0"
