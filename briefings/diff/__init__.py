"""Diff: what changed between two editions, as redlines (DOCX, HTML) and a summary.

`briefings.diff.run.diff_editions` does the work; this package imports nothing on its own so
the command line stays quick to start.
"""
