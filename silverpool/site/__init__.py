"""The internal website: Markdown generated from the pool, built with mkdocs-material."""
