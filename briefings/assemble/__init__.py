"""Assemble: templated sections into one pandoc Markdown document, stable ids, source map."""
